{#- cx_frt: itsm_frt restricted to customer tickets, each on its channel's clock: calendar
    hours for live chat, business hours otherwise; headline the median, attributed to the
    period of the reply. Segments: all, customer segment, country, channel. -#}
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
        case
            when tickets.channel = 'chat' then tickets.first_response_calendar_hours
            else tickets.first_response_business_hours
        end as first_response_channel_hours,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from tickets

    left join customers
        on tickets.requester_id = customers.customer_id

    where
        tickets.requester_type = 'customer'
        and tickets.is_response_eligible
        and tickets.first_response_at is not null

),

{{ kpi_from_units('cx_frt', 'units', 'first_response_date', customer_segments(true),
    'median', 'first_response_channel_hours') }}

select * from final
