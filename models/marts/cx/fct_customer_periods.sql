{#- one row per customer and period in which it was active at the period's start (grain:
    customer_id × period_grain × period_start; day, week, month, quarter): whether it churned in the
    period (churned_at in (start, end]), and its revenue and gross margin in the period. A
    customer acquired during the period is not here (new customers are not in churn's
    denominator); reactivations are out of scope (one row per customer in the contract). -#}
with

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_unknown_member

),

periods as (

    select * from {{ ref('dim_periods') }}

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

with_revenue as (

    select
        active_at_start.customer_id,
        active_at_start.period_grain,
        active_at_start.period_start,
        sum(revenue.revenue_amount) as revenue_amount,
        sum(revenue.gross_margin_amount) as gross_margin_amount

    from active_at_start

    inner join revenue
        on
        active_at_start.customer_id = revenue.customer_id
        and active_at_start.period_start <= revenue.invoice_date
        and active_at_start.next_period_start > revenue.invoice_date

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
        coalesce(with_revenue.revenue_amount, 0) as revenue_amount,
        coalesce(with_revenue.gross_margin_amount, 0) as gross_margin_amount

    from active_at_start

    left join with_revenue
        on
        active_at_start.customer_id = with_revenue.customer_id
        and active_at_start.period_grain = with_revenue.period_grain
        and active_at_start.period_start = with_revenue.period_start

)

select * from final
