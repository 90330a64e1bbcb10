{#- ex_adoption: eligible employees (in HR's headcount on the period's last day, whoever the
    usage log names) with any service use in the 28 days up to that day / eligible employees.
    Day, week, month, quarter; segments all, department, location. Units are counted per
    employee group (fct_employee_group_periods), each weighing its number of employees. -#}
with

employee_groups as (

    select * from {{ ref('fct_employee_group_periods') }}
    where headcount_at_end > 0

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    -- the eligible employees of a group, counted as active users and the rest
    select
        period_grain,
        period_start,
        department,
        location,
        true as is_active_user,
        active_users_at_end as employees
    from employee_groups
    where active_users_at_end > 0

    union all

    select
        period_grain,
        period_start,
        department,
        location,
        false as is_active_user,
        headcount_at_end - active_users_at_end as employees
    from employee_groups
    where headcount_at_end > active_users_at_end

),

{{ kpi_from_units('ex_adoption', 'units', 'period_start', employee_segments(), 'rate',
    'is_active_user', ['day', 'week', 'month', 'quarter'], 'period_grain',
    weight='employees') }}

select * from final
