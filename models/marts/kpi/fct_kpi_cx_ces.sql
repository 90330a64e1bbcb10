{#- cx_ces: customer effort answers in the top box of their own scale (5–7 on 1–7, 4–5 on 1–5;
    higher is easier) / answers, attributed to the response date, with the Wilson interval.
    Day to quarter; segments all, customer segment, country. -#}
with

answers as (

    select * from {{ ref('int_customer_survey_answers') }}
    where survey_type = 'ces'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        *,
        {{ is_top_box('score', 'scale_min', 'scale_max') }} as is_easy

    from answers

),

{{ kpi_from_units('cx_ces', 'units', 'responded_date', customer_segments(), 'rate',
    'is_easy') }}

select * from final
