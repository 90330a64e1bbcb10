{#- one row per period and employee group (grain: period_grain × period_start × department ×
    location; day, week, month, quarter) that anyone was employed in during the period: the
    headcount on the period's first and on its last day, the active users on its last day (in
    that headcount, with service use in the 28 days up to it) and the people employed at any
    time in it. Counts only; ex_adoption and ex_service_usage read it. -#}
with

periods as (

    select * from {{ ref('dim_periods') }}

),

day_counts as (

    select * from {{ ref('int_employee_day_counts') }}

),

counted as (

    select
        periods.period_grain,
        periods.period_start,
        first_day.department,
        first_day.location,
        first_day.headcount as headcount_at_start,
        last_day.headcount as headcount_at_end,
        last_day.active_users as active_users_at_end,
        -- employed on the first day, or hired after it and by the last day
        first_day.headcount + last_day.hires_to_date - first_day.hires_to_date
            as employees_in_period

    from periods

    inner join day_counts as first_day
        on periods.period_start = first_day.local_date

    inner join day_counts as last_day
        on
        cast({{ dbt.dateadd('day', -1, 'periods.next_period_start') }} as date)
        = last_day.local_date
        and first_day.department = last_day.department
        and first_day.location = last_day.location

),

final as (

    select * from counted
    where employees_in_period > 0

)

select * from final
