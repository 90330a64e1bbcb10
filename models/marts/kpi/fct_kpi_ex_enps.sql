{#- ex_enps: % promoters (9–10) − % detractors (0–6) over employees' latest enps answer per
    period, −100…100, with its margin of error (reported, not used to withhold). Week, month,
    quarter; segments all, department, location. Cells with fewer than 5 respondents are
    withheld for privacy in kpi_values. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'enps'
        and respondent_type = 'employee'

),

employees as (

    select * from {{ ref('dim_employees') }}

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
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from responses

    left join employees
        on responses.respondent_id = employees.employee_id

),

{{ nps_from_answers('ex_enps', 'answers', employee_segments(), ['week', 'month', 'quarter']) }}

select * from final
