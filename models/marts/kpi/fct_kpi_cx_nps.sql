{#- cx_nps: % promoters (9–10) − % detractors (0–6) over customers' latest nps answer per period
    (a customer answering twice in a period counts once, with the later answer), −100…100,
    with its 95 % margin of error: 1.96 × sqrt((p + d − (p − d)²) / n) × 100 (kpi-reference
    §0.11) as ci_low / ci_high. Week, month, quarter; segments all, customer segment,
    country. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'nps'
        and respondent_type = 'customer'

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('week', 'month', 'quarter')

),

answers as (

    select
        responses.response_id,
        responses.respondent_id,
        responses.responded_at,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        responses.score,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from responses

    left join customers
        on responses.respondent_id = customers.customer_id

),

{{ nps_from_answers('cx_nps', 'answers', customer_segments(), ['week', 'month', 'quarter']) }}

select * from final
