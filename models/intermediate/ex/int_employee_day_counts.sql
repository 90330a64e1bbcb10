{#- one row per day and employee group (grain: local_date × department × location), for every
    day from the first period start to the last period end: the headcount that day (active
    from hire_date through termination_date), the active users that day (in the headcount, with
    a service_usage day in the 28 days up to it) and the hires up to and including that day.
    Counted from changes (+1 on the day a state starts, -1 on the day after it ends) summed in
    date order, so the work grows with employees and usage days, not employees × days. -#}
with

employees as (

    select * from {{ ref('dim_employees') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

usage as (

    select * from {{ ref('stg_contract__service_usage') }}
    where quarantine_reason is null and user_type = 'employee'

),

extent as (

    select
        min(period_start) as first_day,
        cast(max({{ dbt.dateadd('day', -1, 'next_period_start') }}) as date) as last_day
    from periods

),

days as (

    select cast(unnest({{ day_series('first_day', 'last_day') }}) as date) as local_date
    from extent

),

employee_groups as (

    select distinct
        department,
        location
    from employees

),

usage_days as (

    select distinct
        user_id as employee_id,
        usage_date
    from usage

),

usage_gaps as (

    -- a day of use keeps its user active for 28 days (it and the 27 after it): a use more
    -- than 28 days after the previous one starts a new stretch of activity
    select
        employee_id,
        usage_date,
        case
            when
                lag(usage_date) over (partition by employee_id order by usage_date) is null
                or {{ dbt.datediff(
                    'lag(usage_date) over (partition by employee_id order by usage_date)',
                    'usage_date', 'day') }} > 28
                then 1
            else 0
        end as starts_stretch
    from usage_days

),

usage_stretches as (

    select
        employee_id,
        usage_date,
        sum(starts_stretch) over (
            partition by employee_id order by usage_date rows unbounded preceding
        ) as stretch_number
    from usage_gaps

),

stretches as (

    select
        employee_id,
        stretch_number,
        min(usage_date) as first_use_date,
        cast({{ dbt.dateadd('day', 27, 'max(usage_date)') }} as date) as active_through
    from usage_stretches
    group by 1, 2

),

active_stretches as (

    -- a stretch of activity, cut to the employment
    select
        employees.department,
        employees.location,
        greatest(stretches.first_use_date, employees.hire_date) as active_from,
        least(
            stretches.active_through,
            coalesce(employees.termination_date, stretches.active_through)
        ) as active_to

    from stretches

    inner join employees
        on stretches.employee_id = employees.employee_id

),

changes as (

    select
        department,
        location,
        hire_date as change_date,
        1 as headcount_change,
        0 as active_user_change,
        1 as hire_change
    from employees

    union all

    select
        department,
        location,
        cast({{ dbt.dateadd('day', 1, 'termination_date') }} as date) as change_date,
        -1 as headcount_change,
        0 as active_user_change,
        0 as hire_change
    from employees
    where termination_date is not null

    union all

    select
        department,
        location,
        active_from as change_date,
        0 as headcount_change,
        1 as active_user_change,
        0 as hire_change
    from active_stretches
    where active_from <= active_to

    union all

    select
        department,
        location,
        cast({{ dbt.dateadd('day', 1, 'active_to') }} as date) as change_date,
        0 as headcount_change,
        -1 as active_user_change,
        0 as hire_change
    from active_stretches
    where active_from <= active_to

),

daily_changes as (

    -- changes before the first day count on it; changes after the last day never matter
    select
        department,
        location,
        change_date,
        sum(headcount_change) as headcount_change,
        sum(active_user_change) as active_user_change,
        sum(hire_change) as hire_change

    from (
        select
            changes.department,
            changes.location,
            changes.headcount_change,
            changes.active_user_change,
            changes.hire_change,
            greatest(changes.change_date, extent.first_day) as change_date
        from changes
        cross join extent
        where changes.change_date <= extent.last_day
    ) as clamped

    group by 1, 2, 3

),

final as (

    select
        days.local_date,
        employee_groups.department,
        employee_groups.location,
        sum(coalesce(daily_changes.headcount_change, 0)) over running as headcount,
        sum(coalesce(daily_changes.active_user_change, 0)) over running as active_users,
        sum(coalesce(daily_changes.hire_change, 0)) over running as hires_to_date

    from days

    cross join employee_groups

    left join daily_changes
        on
        days.local_date = daily_changes.change_date
        and employee_groups.department = daily_changes.department
        and employee_groups.location = daily_changes.location

    window running as (
        partition by employee_groups.department, employee_groups.location
        order by days.local_date
        rows unbounded preceding
    )

)

select * from final
