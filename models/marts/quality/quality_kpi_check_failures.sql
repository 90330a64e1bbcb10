{#- the failed checks of this run that withhold a KPI's period (grain: kpi_id × period_grain ×
    period_start), as one reason text: a failed structural check withholds every period of
    the KPIs downstream of it; a failed period-scoped check only the periods, at every grain,
    that overlap its failing days, which the reason names (consecutive days as first..last). -#}
with

checks as (

    select * from {{ ref('stg_checks__check_results') }}
    where is_failed and kpi_id is not null

),

periods as (

    select * from {{ ref('dim_periods') }}

),

failing_periods as (

    -- a check without failing days covers every period; one with days the periods they touch
    select
        checks.kpi_id,
        periods.period_grain,
        periods.period_start,
        checks.check_id,
        checks.check_name,
        checks.check_kind,
        checks.detail,
        checks.failing_day,
        row_number() over (
            partition by
                checks.kpi_id, periods.period_grain, periods.period_start, checks.check_id
            order by checks.failing_day
        ) as day_number

    from checks

    inner join periods
        on
        checks.failing_day is null
        or (
            checks.failing_day >= periods.period_start
            and checks.failing_day < periods.next_period_start
        )

),

day_ranges as (

    -- consecutive failing days form one range (same day minus its rank)
    select
        kpi_id,
        period_grain,
        period_start,
        check_id,
        check_name,
        check_kind,
        detail,
        min(failing_day) as first_day,
        max(failing_day) as last_day

    from failing_periods
    group by
        1, 2, 3, 4, 5, 6, 7,
        {{ dbt.dateadd('day', '-1 * day_number', 'failing_day') }}

),

check_reasons as (

    select
        kpi_id,
        period_grain,
        period_start,
        check_id,
        check_name,
        check_kind,
        detail,
        'lineage: '
        || case
            when check_kind = 'expectation_suite' then 'expectation suite '
            else 'check '
        end
        || check_name || ' failed'
        -- no days (a structural check): string_agg of NULLs is NULL
        || coalesce(' on ' || string_agg(
            case
                when first_day = last_day then cast(first_day as varchar)
                else cast(first_day as varchar) || '..' || cast(last_day as varchar)
            end,
            ', ' order by first_day
        ), '')
        || case
            when check_kind = 'expectation_suite' and detail <> '' then ': ' || detail
            else ''
        end as reason_text

    from day_ranges
    group by 1, 2, 3, 4, 5, 6, 7

),

final as (

    select
        kpi_id,
        period_grain,
        period_start,
        string_agg(reason_text, '; ' order by check_name) as lineage_reasons

    from check_reasons
    group by 1, 2, 3

)

select * from final
