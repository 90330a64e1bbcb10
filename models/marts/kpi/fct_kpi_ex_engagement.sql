{#- ex_engagement: mean over all engagement answers of the score rescaled to 0–100: (score −
    scale_min) / (scale_max − scale_min) × 100, by response date, with its 95 % normal
    interval (reported, not used to withhold). Day, week, month, quarter; segments
    all, department, location. Cells with fewer than 5
    respondents are withheld for privacy in kpi_values. -#}
with

answers as (

    select * from {{ ref('int_employee_survey_answers') }}
    where survey_type = 'engagement'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        *,
        100.0 * (score - scale_min) / (scale_max - scale_min) as rescaled_score
    from answers

),

{{ kpi_from_units('ex_engagement', 'units', 'responded_date', employee_segments(), 'mean',
    'rescaled_score', mean_interval=true) }}

select * from final
