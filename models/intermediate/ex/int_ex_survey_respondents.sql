{#- distinct respondents per EX survey KPI and cell (grain: kpi_id × period_grain × period_start
    × segment_type × segment_value): what the small-group rule counts -#}
with

answers as (

    select
        'ex_' || survey_type as kpi_id,
        respondent_id,
        responded_date,
        department,
        location
    from {{ ref('int_employee_survey_answers') }}

),

measured as (

    {{ expand_periods_and_segments('answers', 'responded_date', employee_segments(),
        ['day', 'week', 'month', 'quarter']) }}

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
