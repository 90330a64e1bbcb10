{#- cx_art: mean calendar hours from creation to the last resolution over customer tickets
    resolved in the period (spam, merged, cancelled and problem tickets excluded). Segments: all, customer
    segment, country, channel. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        tickets.*,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from tickets

    left join customers
        on tickets.requester_id = customers.customer_id

    where
        tickets.requester_type = 'customer'
        and tickets.is_resolved
        and not tickets.is_excluded
        and tickets.ticket_type <> 'problem'

),

{{ kpi_from_units('cx_art', 'units', 'last_resolved_date', customer_segments(true),
    'mean', 'resolution_calendar_hours') }}

select * from final
