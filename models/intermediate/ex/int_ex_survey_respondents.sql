{#- distinct respondents per EX survey KPI and cell (grain: kpi_id × period_grain × period_start
    × segment_type × segment_value): what the small-group rule counts -#}
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

answers as (

    select
        'ex_' || responses.survey_type as kpi_id,
        responses.respondent_id,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        coalesce(employees.department, 'unknown') as department,
        coalesce(employees.location, 'unknown') as location

    from responses

    left join employees
        on responses.respondent_id = employees.employee_id

),

measured as (

    {{ expand_periods_and_segments('answers', 'responded_date', employee_segments(),
        ['week', 'month', 'quarter']) }}

),

final as (

    select
        kpi_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(distinct respondent_id) as respondent_count

    from measured
    group by 1, 2, 3, 4, 5

)

select * from final
