{#- cx_csat: as itsm_csat, on customer-raised tickets: answered csat surveys in the top box of
    their scale / answered surveys, by response date. Segments: all, customer segment,
    country, channel. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where quarantine_reason is null

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        responses.response_id,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        {{ is_top_box('responses.score', 'responses.scale_min', 'responses.scale_max') }}
            as is_top_box,
        tickets.channel,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from responses

    inner join tickets
        on responses.ticket_id = tickets.ticket_id

    left join customers
        on tickets.requester_id = customers.customer_id

    where
        responses.survey_type = 'csat'
        and tickets.requester_type = 'customer'
        and tickets.is_csat_eligible

),

{{ kpi_from_units('cx_csat', 'units', 'responded_date', customer_segments(true), 'rate',
    'is_top_box') }}

select * from final
