{#- cx_csat: as itsm_csat, on customer-raised tickets: answered csat surveys in the top box of
    their scale / answered surveys, by response date. Segments: all, customer segment,
    country, channel. -#}
with

answers as (

    select * from {{ ref('fct_ticket_survey_answers') }}
    where requester_type = 'customer'

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        answers.response_id,
        answers.responded_date,
        answers.is_top_box,
        answers.channel,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from answers

    left join customers
        on answers.requester_id = customers.customer_id

),

{{ kpi_from_units('cx_csat', 'units', 'responded_date', customer_segments(true), 'rate',
    'is_top_box') }}

select * from final
