{#- references that point at nothing known (grain: source_table × reference): rows are kept and
    map to the `unknown` member; this summary counts them -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

employees as (

    select * from {{ ref('dim_employees') }}

),

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_unknown_member

),

services as (

    select * from {{ ref('dim_services') }}
    where not is_unknown_member

),

usage as (

    select * from {{ ref('stg_contract__service_usage') }}
    where quarantine_reason is null

),

ticket_checks as (

    select
        count(*) filter (where tickets.has_unknown_team) as unknown_team_count,
        count(*) filter (
            where tickets.requester_type = 'employee' and employees.employee_id is null
        ) as unknown_employee_count,
        count(*) filter (
            where tickets.requester_type = 'customer' and customers.customer_id is null
        ) as unknown_customer_count,
        count(*) filter (
            where tickets.service_id <> 'unknown' and services.service_id is null
        ) as unknown_service_count

    from tickets

    left join employees
        on tickets.requester_id = employees.employee_id

    left join customers
        on tickets.requester_id = customers.customer_id

    left join services
        on tickets.service_id = services.service_id

),

usage_checks as (

    select count(distinct usage.user_id) as unknown_usage_user_count

    from usage

    left join employees
        on usage.user_id = employees.employee_id

    where usage.user_type = 'employee' and employees.employee_id is null

),

final as (

    select
        'tickets' as source_table,
        'team_id' as reference,
        unknown_team_count as unknown_count
    from ticket_checks
    union all
    select
        'tickets' as source_table,
        'requester_id (employee)' as reference,
        unknown_employee_count as unknown_count
    from ticket_checks
    union all
    select
        'tickets' as source_table,
        'requester_id (customer)' as reference,
        unknown_customer_count as unknown_count
    from ticket_checks
    union all
    select
        'tickets' as source_table,
        'service_id' as reference,
        unknown_service_count as unknown_count
    from ticket_checks
    union all
    select
        'service_usage' as source_table,
        'user_id (employees unknown to HR)' as reference,
        unknown_usage_user_count as unknown_count
    from usage_checks

)

select * from final
