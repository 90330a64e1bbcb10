{#- cx_churn_rate: customers active at the period's start and no longer active at its end
    (churned_at in (start, end]) / customers active at the period's start; customers acquired
    during the period are not in the denominator. Week, month and quarter. Segments: all,
    customer segment, country. -#}
with

customer_periods as (

    select * from {{ ref('fct_customer_periods') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from customer_periods

),

{{ kpi_from_units('cx_churn_rate', 'units', 'period_start', customer_segments(), 'rate',
    'is_churned', ['day', 'week', 'month', 'quarter'], 'period_grain') }}

select * from final
