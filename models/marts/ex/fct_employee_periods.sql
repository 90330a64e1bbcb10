{#- one row per employment and month or quarter it touches (grain: employee_id × period_grain
    × period_start): in the headcount on the period's first and last day (active from
    hire_date through termination_date), a leaver in the period (termination dated in the
    period and not after the HR file's load date: future-dated terminations are not
    separations yet). Read by turnover, which counts people; the day-to-quarter counts of
    ex_adoption and ex_service_usage come from fct_employee_group_periods. Never published
    (individual HR rows). -#}
{{ config(tags=['clock']) }}

with

employees as (

    select * from {{ ref('dim_employees') }}

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

as_of as (

    select coalesce(cast(max(watermark_at) as date), current_date) as as_of_date
    from watermarks
    where source_name = 'employees'

),

final as (

    select
        employees.employee_id,
        employees.department,
        employees.location,
        employees.termination_reason,
        periods.period_grain,
        periods.period_start,
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

)

select * from final
