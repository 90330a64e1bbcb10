{#- ex_esat: share of answers to the satisfaction item in the top box of their scale (4–5 on 1–5),
    by response date, with the Wilson interval. Week, month, quarter; segments all, department,
    location. Cells with fewer than 5
    respondents are withheld for privacy in kpi_values. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'esat'
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
        {{ is_top_box('responses.score', 'responses.scale_min', 'responses.scale_max') }}
            as is_top_box,
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from responses

    left join employees
        on responses.respondent_id = employees.employee_id

),

{{ kpi_from_units('ex_esat', 'units', 'responded_date', employee_segments(), 'rate',
    'is_top_box', ['week', 'month', 'quarter']) }}

select * from final
