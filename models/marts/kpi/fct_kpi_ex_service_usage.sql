{#- ex_service_usage: distinct employees (known to HR) with at least one service interaction in
    the period — a ticket they raised (problem records excluded) or a service_usage row — /
    average headcount. Usage-log users unknown to HR are not counted (mart_ex_usage reports
    them). Day, week, month, quarter; segments all, department, location. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}
    -- problem records are no one's service interaction (kpi-spec: problems count only in the
    -- problem KPI)
    where requester_type = 'employee' and not is_excluded and ticket_type <> 'problem'

),

usage as (

    select * from {{ ref('stg_contract__service_usage') }}
    where quarantine_reason is null and user_type = 'employee'

),

employees as (

    select * from {{ ref('dim_employees') }}

),

employee_groups as (

    select * from {{ ref('fct_employee_group_periods') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

interactions as (

    select
        employees.employee_id,
        employees.department,
        employees.location,
        interaction_days.interaction_date

    from (
        select
            requester_id as employee_id,
            created_date as interaction_date
        from tickets
        union
        select
            user_id as employee_id,
            usage_date as interaction_date
        from usage
    ) as interaction_days

    -- employees known to HR and employed on the day of the interaction
    inner join employees
        on
        interaction_days.employee_id = employees.employee_id
        and interaction_days.interaction_date >= employees.hire_date
        and (
            employees.termination_date is null
            or interaction_days.interaction_date <= employees.termination_date
        )

),

measured as (

    {{ expand_periods_and_segments('interactions', 'interaction_date', employee_segments(),
        ['day', 'week', 'month', 'quarter']) }}

),

users as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(distinct employee_id) as user_count

    from measured
    group by 1, 2, 3, 4

),

headcount_measured as (

    {{ expand_periods_and_segments('employee_groups', 'period_start', employee_segments(),
        ['day', 'week', 'month', 'quarter'], 'period_grain') }}

),

headcount as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        {{ average_headcount('sum(headcount_at_start)', 'sum(headcount_at_end)') }}
            as average_headcount

    from headcount_measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'headcount_measured', ['day', 'week', 'month', 'quarter']) }}

),

final as (

    select
        'ex_service_usage' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        {{ safe_divide('coalesce(users.user_count, 0)', 'headcount.average_headcount') }}
            as value,
        cast(coalesce(users.user_count, 0) as double) as numerator,
        headcount.average_headcount as denominator,
        cast(coalesce(round(headcount.average_headcount), 0) as bigint) as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from spine

    left join users
        on {{ same_period_and_segment('spine', 'users') }}

    left join headcount
        on {{ same_period_and_segment('spine', 'headcount') }}

)

select * from final
