{#- cx_churn_rate: customers active at the period's start and no longer active at its end
    (churned_at in (start, end]) / customers active at the period's start; customers acquired
    during the period are not in the denominator. Week, month and quarter. Segments: all,
    customer segment, country. -#}
with

units as (

    {{ kpi_units('cx_churn_rate') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_churn_rate') }}

select * from final
