{#- ex_frt: itsm_frt restricted to tickets raised by employees (IT and HR support): median
    business hours to the first public agent reply, by the period of the reply. Segments: all,
    department, location. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

employees as (

    select * from {{ ref('dim_employees') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        tickets.*,
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from tickets

    left join employees
        on tickets.requester_id = employees.employee_id

    where
        tickets.requester_type = 'employee'
        and tickets.is_response_eligible
        and tickets.first_response_at is not null

),

{{ kpi_from_units('ex_frt', 'units', 'first_response_date', employee_segments(), 'median',
    'first_response_business_hours') }}

select * from final
