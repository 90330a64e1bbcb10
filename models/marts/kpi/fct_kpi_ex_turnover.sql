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

{{ kpi_from_units('ex_turnover', 'employee_periods', 'period_start', employee_segments(),
    'ratio', 'count(*) filter (where is_leaver)', ['month', 'quarter'], 'period_grain',
    denominator=average_headcount(),
    n='count(*) filter (where is_active_at_start or is_active_at_end)') }}

select * from final
