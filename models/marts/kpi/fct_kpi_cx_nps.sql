{#- cx_nps: % promoters (9–10) − % detractors (0–6) over customers' latest nps answer per period
    (a customer answering twice in a period counts once, with the later answer), −100…100,
    with its 95 % margin of error: 1.96 × sqrt((p + d − (p − d)²) / n) × 100 (kpi-reference
    §0.11) as ci_low / ci_high. Day, week, month, quarter; segments all, customer segment,
    country. -#}
with

answers as (

    select * from {{ ref('int_customer_survey_answers') }}
    where survey_type = 'nps'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ nps_from_answers('cx_nps', 'answers', customer_segments(),
    ['day', 'week', 'month', 'quarter']) }}

select * from final
