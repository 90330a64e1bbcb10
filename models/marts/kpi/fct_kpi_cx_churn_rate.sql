{#- cx_churn_rate: customers active at the period's start and no longer active at its end
    (churned_at in (start, end]) / customers active at the period's start; customers acquired
    during the period are not in the denominator. Day, week, month and quarter. Segments: all,
    customer segment, country. Months and quarters count customers one by one (the units
    `nyckeltal explain` lists); days and weeks count customer groups, each row weighing its
    number of customers. -#}
with

customer_units as (

    {{ kpi_units('cx_churn_rate') }}

),

customer_groups as (

    select * from {{ ref('fct_customer_group_periods') }}

),

units as (

    select
        period_grain,
        period_start,
        customer_segment,
        country,
        is_churned,
        1 as customers
    from customer_units

    union all

    select
        period_grain,
        period_start,
        customer_segment,
        country,
        true as is_churned,
        churned_customers as customers
    from customer_groups
    where churned_customers > 0

    union all

    select
        period_grain,
        period_start,
        customer_segment,
        country,
        false as is_churned,
        active_customers - churned_customers as customers
    from customer_groups
    where active_customers > churned_customers

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_churn_rate', weight='customers') }}

select * from final
