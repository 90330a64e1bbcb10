{#- cx_ces: customer effort answers in the top box of their own scale (5–7 on 1–7, 4–5 on 1–5;
    higher is easier) / answers, attributed to the response date, with the Wilson interval.
    Day to quarter; segments all, customer segment, country. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'ces'

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
            as is_easy,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from responses

    left join customers
        on responses.respondent_id = customers.customer_id

),

{{ kpi_from_units('cx_ces', 'units', 'responded_date', customer_segments(), 'rate',
    'is_easy') }}

select * from final
