{#- one row per KPI and period it has rows for (grain: kpi_id × period_grain × period_start):
    what its required sources say about the period: absent sources, sources stale at the
    period's settling moment (its end plus the KPI's look-ahead window) by the run's clock,
    whether the period is still unsettled, and sources with too many incomplete rows -#}
{{ config(tags=['clock']) }}

with

kpi_rows as (

    select * from {{ ref('fct_kpi_values') }}

),

thresholds as (

    select * from {{ ref('int_kpi_thresholds') }}

),

completeness_by_table as (

    select * from {{ ref('quality_source_completeness') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

members as (

    {{ logical_source_members() }}

),

completeness as (

    -- a logical source (logical_sources()) is as incomplete as its worst member
    select
        coalesce(members.source_name, completeness_by_table.source_table) as source_table,
        max(completeness_by_table.incomplete_share) as incomplete_share

    from completeness_by_table

    left join members
        on completeness_by_table.source_table = members.member_name

    group by 1

),

required_sources as (

    select
        kpi_id,
        lookahead_days,
        trim(unnest(string_split(required_sources, ';'))) as source_name
    from thresholds

),

kpi_periods as (

    select distinct
        kpi_id,
        period_grain,
        period_start
    from kpi_rows

),

source_checks as (

    select
        kpi_periods.kpi_id,
        kpi_periods.period_grain,
        kpi_periods.period_start,
        required_sources.source_name,
        coalesce(watermarks.is_present, false) as is_present,
        watermarks.watermark_at,
        watermarks.tolerance_hours,
        periods.period_start_at,
        -- the moment from which the period's outcome can no longer change
        periods.period_end_at + to_days(required_sources.lookahead_days) as settled_at,
        completeness.incomplete_share

    from kpi_periods

    inner join required_sources
        on kpi_periods.kpi_id = required_sources.kpi_id

    inner join periods
        on
        kpi_periods.period_grain = periods.period_grain
        and kpi_periods.period_start = periods.period_start

    left join watermarks
        on required_sources.source_name = watermarks.source_name

    left join completeness
        on required_sources.source_name = completeness.source_table

),

final as (

    select
        kpi_id,
        period_grain,
        period_start,
        string_agg(source_name, ', ' order by source_name) filter (where not is_present)
            as absent_sources,
        -- a period that is over (its look-ahead window included) by the run's clock, which the
        -- data stops short of by more than the source's tolerance; the running period, and one
        -- covered up to within the tolerance, are provisional instead
        string_agg(source_name, ', ' order by source_name) filter (
            where is_present
            and watermark_at < settled_at
            and settled_at <= {{ as_of_timestamp() }}
            and {{ hours_between('watermark_at', 'settled_at') }} > tolerance_hours
        ) as stale_sources,
        bool_or(is_present and watermark_at < settled_at) as is_unsettled,
        string_agg(
            source_name || ' ' || cast(round(100 * incomplete_share, 1) as varchar) || '%',
            ', ' order by source_name
        ) filter (
            where incomplete_share > {{ var('completeness_tolerance') }}
        ) as incomplete_sources

    from source_checks
    group by 1, 2, 3

)

select * from final
