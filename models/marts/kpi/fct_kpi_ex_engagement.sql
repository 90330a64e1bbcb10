{#- ex_engagement: mean over all engagement answers of the score rescaled to 0–100: (score −
    scale_min) / (scale_max − scale_min) × 100, by response date. Week, month, quarter; segments
    all, department, location. Cells with fewer than 5
    respondents are withheld for privacy in kpi_values. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'engagement'
        and respondent_type = 'employee'

),

employees as (

    select * from {{ ref('dim_employees') }}

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('week', 'month', 'quarter')

),

units as (

    select
        responses.response_id,
        responses.respondent_id,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        100.0 * (responses.score - responses.scale_min)
        / (responses.scale_max - responses.scale_min)
            as rescaled_score,
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from responses

    left join employees
        on responses.respondent_id = employees.employee_id

),

{{ kpi_from_units('ex_engagement', 'units', 'responded_date', employee_segments(), 'mean',
    'rescaled_score', ['week', 'month', 'quarter']) }}

select * from final
