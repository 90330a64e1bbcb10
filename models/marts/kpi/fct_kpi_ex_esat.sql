{#- ex_esat: share of answers to the satisfaction item in the top box of their scale (4–5 on 1–5),
    by response date, with the Wilson interval. Day, week, month, quarter; segments all, department,
    location. Cells with fewer than 5
    respondents are withheld for privacy in kpi_values. -#}
with

answers as (

    select * from {{ ref('int_employee_survey_answers') }}
    where survey_type = 'esat'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        *,
        {{ is_top_box('score', 'scale_min', 'scale_max') }} as is_top_box
    from answers

),

{{ kpi_from_units('ex_esat', 'units', 'responded_date', employee_segments(), 'rate',
    'is_top_box', ['day', 'week', 'month', 'quarter']) }}

select * from final
