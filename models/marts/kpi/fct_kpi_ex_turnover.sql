{#- ex_turnover: leavers in the period (future-dated terminations excluded) / average headcount,
    (headcount on the period's first day + on its last day) / 2, as a rate for the period
    itself (the annualised rate and voluntary / involuntary variants are in mart_ex_turnover).
    Month and quarter; segments all, department, location. n = people in the cell's headcount
    on either day. Cells with an average headcount below 5 are withheld for privacy. -#}
with

employee_periods as (

    select * from {{ ref('fct_employee_periods') }}
    where period_grain in ('month', 'quarter')

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

measured as (

    {{ expand_periods_and_segments('employee_periods', 'period_start', employee_segments(),
        ['month', 'quarter'], 'period_grain') }}

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) filter (where is_active_at_start or is_active_at_end) as people_count,
        count(*) filter (where is_leaver) as leaver_count,
        {{ average_headcount() }} as average_headcount

    from measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'measured', ['month', 'quarter']) }}

),

final as (

    select
        'ex_turnover' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        {{ safe_divide('aggregated.leaver_count', 'aggregated.average_headcount') }} as value,
        cast(aggregated.leaver_count as double) as numerator,
        aggregated.average_headcount as denominator,
        coalesce(aggregated.people_count, 0) as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from spine

    left join aggregated
        on {{ same_period_and_segment('spine', 'aggregated') }}

)

select * from final
