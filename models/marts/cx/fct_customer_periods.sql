{#- one row per customer and month or quarter in which it was active at the period's start
    (grain: customer_id × period_grain × period_start): whether it churned in the period
    (churned_at in (start, end]), and its revenue and gross margin in the period. A customer
    acquired during the period is not here (new customers are not in churn's denominator);
    reactivations are out of scope (one row per customer in the contract). Days and weeks are
    counted per customer group in fct_customer_group_periods. -#}
with

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_unknown_member

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

revenue as (

    select * from {{ ref('stg_contract__customer_revenue') }}
    where quarantine_reason is null

),

active_at_start as (

    select
        customers.customer_id,
        customers.customer_segment,
        customers.country,
        periods.period_grain,
        periods.period_start,
        periods.next_period_start,
        customers.churned_at is not null
        and customers.churned_at <= periods.period_end_at as is_churned

    from periods

    inner join customers
        on
        periods.period_start_at >= customers.acquired_at
        and (customers.churned_at is null or periods.period_start_at < customers.churned_at)

),

grains as (

    select distinct period_grain from periods

),

revenue_by_period as (

    select
        revenue.customer_id,
        grains.period_grain,
        {{ period_start('grains.period_grain', 'revenue.invoice_date') }} as period_start,
        sum(revenue.revenue_amount) as revenue_amount,
        sum(revenue.gross_margin_amount) as gross_margin_amount

    from revenue

    cross join grains

    group by 1, 2, 3

),

final as (

    select
        active_at_start.customer_id,
        active_at_start.customer_segment,
        active_at_start.country,
        active_at_start.period_grain,
        active_at_start.period_start,
        active_at_start.is_churned,
        coalesce(revenue_by_period.revenue_amount, 0) as revenue_amount,
        coalesce(revenue_by_period.gross_margin_amount, 0) as gross_margin_amount

    from active_at_start

    left join revenue_by_period
        on
        active_at_start.customer_id = revenue_by_period.customer_id
        and active_at_start.period_grain = revenue_by_period.period_grain
        and active_at_start.period_start = revenue_by_period.period_start

)

select * from final
