{#- one row per employment and period it touches (grain: employee_id × period_grain ×
    period_start; day, week, month, quarter): in the headcount on the period's first and last day
    (active from hire_date through termination_date), a leaver in the period (termination
    dated in the period and not after the HR file's load date: future-dated terminations are
    not separations yet), and active in the system in the 28 days up to the period's end.
    Never published (individual HR rows). -#}
with

employees as (

    select * from {{ ref('dim_employees') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

usage as (

    select * from {{ ref('stg_contract__service_usage') }}
    where quarantine_reason is null and user_type = 'employee'

),

usage_days as (

    select distinct
        user_id,
        usage_date
    from usage

),

as_of as (

    select coalesce(cast(max(watermark_at) as date), current_date) as as_of_date
    from watermarks
    where source_name = 'employees'

),

touched as (

    select
        employees.employee_id,
        employees.department,
        employees.location,
        employees.termination_reason,
        periods.period_grain,
        periods.period_start,
        cast({{ dbt.dateadd('day', -1, 'periods.next_period_start') }} as date) as last_day,
        employees.hire_date <= periods.period_start
        and (
            employees.termination_date is null
            or employees.termination_date >= periods.period_start
        ) as is_active_at_start,
        employees.hire_date <= {{ dbt.dateadd('day', -1, 'periods.next_period_start') }}
        and (
            employees.termination_date is null
            or employees.termination_date
            >= {{ dbt.dateadd('day', -1, 'periods.next_period_start') }}
        )
            as is_active_at_end,
        coalesce(
            employees.termination_date >= periods.period_start
            and employees.termination_date < periods.next_period_start
            and employees.termination_date <= as_of.as_of_date,
            false
        ) as is_leaver

    from periods

    cross join as_of

    inner join employees
        on
        periods.next_period_start > employees.hire_date
        and (
            employees.termination_date is null
            or periods.period_start <= employees.termination_date
        )

),

last_use as (

    -- the employee's latest day of use up to the period's last day
    select
        touched.employee_id,
        touched.period_grain,
        touched.period_start,
        usage_days.usage_date as last_usage_date

    from touched

    asof left join usage_days
        on
        touched.employee_id = usage_days.user_id
        and touched.last_day >= usage_days.usage_date

),

final as (

    select
        touched.*,
        last_use.last_usage_date is not null
        and last_use.last_usage_date > touched.last_day - 28 as is_active_user

    from touched

    inner join last_use
        on
        touched.employee_id = last_use.employee_id
        and touched.period_grain = last_use.period_grain
        and touched.period_start = last_use.period_start

)

select * from final
