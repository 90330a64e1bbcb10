{#- ex_adoption: eligible employees (in HR's headcount on the period's last day, whoever the
    usage log names) with any service use in the 28 days up to that day / eligible employees.
    Day, week, month, quarter; segments all, department, location. -#}
with

employee_periods as (

    select * from {{ ref('fct_employee_periods') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from employee_periods
    where is_active_at_end

),

{{ kpi_from_units('ex_adoption', 'units', 'period_start', employee_segments(), 'rate',
    'is_active_user', ['day', 'week', 'month', 'quarter'], 'period_grain') }}

select * from final
