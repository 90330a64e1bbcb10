{#- one row per usable employee survey answer (grain: response_id) with the respondent's
    department and location: what the EX survey KPIs and the small-group rule read -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and respondent_type = 'employee'
        and survey_type in ('esat', 'enps', 'engagement')

),

employees as (

    select * from {{ ref('dim_employees') }}

),

final as (

    select
        responses.response_id,
        responses.survey_type,
        responses.respondent_id,
        responses.question_id,
        responses.responded_at,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        responses.score,
        responses.scale_min,
        responses.scale_max,
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from responses

    left join employees
        on responses.respondent_id = employees.employee_id

)

select * from final
