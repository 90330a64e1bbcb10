{#- one row per usable customer answer to a CX survey (nps, ces; grain: response_id) with the
    customer's segment and country: what cx_nps, cx_ces and mart_cx_customers read -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and respondent_type = 'customer'
        and survey_type in ('nps', 'ces')

),

customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        responses.response_id,
        responses.survey_type,
        responses.respondent_id,
        responses.responded_at,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        responses.score,
        responses.scale_min,
        responses.scale_max,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from responses

    left join customers
        on responses.respondent_id = customers.customer_id

)

select * from final
