{#- ex_enps: % promoters (9–10) − % detractors (0–6) over employees' latest enps answer per
    period, −100…100, with its margin of error (reported, not used to withhold). Week, month,
    quarter; segments all, department, location. Cells with fewer than 5 respondents are
    withheld for privacy in kpi_values. -#}
with

answers as (

    select * from {{ ref('int_employee_survey_answers') }}
    where survey_type = 'enps'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ nps_from_answers('ex_enps', 'answers', employee_segments(),
    ['day', 'week', 'month', 'quarter']) }}

select * from final
