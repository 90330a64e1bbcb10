{#- the CX family mart (month and quarter; segments all, customer segment, country): the churn
    and CLV components, historical CLV and the mean CES score beside the headline KPIs -#}
with

customer_periods as (

    select * from {{ ref('fct_customer_periods') }}
    where period_grain in ('month', 'quarter')

),

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_unknown_member

),

revenue as (

    select * from {{ ref('stg_contract__customer_revenue') }}
    where quarantine_reason is null

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

ces_answers as (

    select * from {{ ref('int_customer_survey_answers') }}
    where survey_type = 'ces'

),

measured as (

    {{ expand_periods_and_segments('customer_periods', 'period_start', customer_segments(),
        ['month', 'quarter'], 'period_grain') }}

),

components as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as customers_at_start,
        count(*) filter (where is_churned) as churned_customers,
        sum(revenue_amount) as revenue_amount,
        sum(gross_margin_amount) as gross_margin_amount

    from measured
    group by 1, 2, 3, 4

),

new_customers as (

    select
        periods.period_grain,
        periods.period_start,
        customers.customer_segment,
        customers.country

    from periods

    inner join customers
        on
        periods.period_start_at < customers.acquired_at
        and periods.period_end_at >= customers.acquired_at

),

new_measured as (

    {{ expand_periods_and_segments('new_customers', 'period_start', customer_segments(),
        ['month', 'quarter'], 'period_grain') }}

),

new_counts as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as new_customers

    from new_measured
    group by 1, 2, 3, 4

),

lifetime_margin as (

    -- cumulative gross margin per customer active at the period's end
    select
        periods.period_grain,
        periods.period_start,
        customers.customer_segment,
        customers.country,
        customers.customer_id,
        coalesce(sum(revenue.gross_margin_amount), 0) as cumulative_margin

    from periods

    inner join customers
        on
        periods.period_end_at >= customers.acquired_at
        and (customers.churned_at is null or periods.period_end_at < customers.churned_at)

    left join revenue
        on
        customers.customer_id = revenue.customer_id
        and periods.next_period_start > revenue.invoice_date

    group by 1, 2, 3, 4, 5

),

lifetime_measured as (

    {{ expand_periods_and_segments('lifetime_margin', 'period_start', customer_segments(),
        ['month', 'quarter'], 'period_grain') }}

),

historical as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        avg(cumulative_margin) as historical_clv_amount

    from lifetime_measured
    group by 1, 2, 3, 4

),

ces_measured as (

    {{ expand_periods_and_segments('ces_answers', 'responded_date', customer_segments(),
        ['month', 'quarter']) }}

),

ces_means as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        avg(score) as ces_mean_score

    from ces_measured
    group by 1, 2, 3, 4

),

final as (

    select
        components.period_grain,
        components.period_start,
        components.segment_type,
        components.segment_value,
        components.customers_at_start,
        coalesce(new_counts.new_customers, 0) as new_customers,
        components.churned_customers,
        {{ safe_divide('components.churned_customers', 'components.customers_at_start') }}
            as churn_rate,
        components.revenue_amount,
        components.gross_margin_amount,
        {{ safe_divide('components.revenue_amount', 'components.customers_at_start') }}
            as arpa_amount,
        {{ safe_divide('components.gross_margin_amount', 'components.revenue_amount') }}
            as gross_margin_share,
        case
            when components.revenue_amount > 0
                then {{ safe_divide('components.gross_margin_amount',
                    'components.churned_customers') }}
        end as predictive_clv_amount,
        historical.historical_clv_amount,
        ces_means.ces_mean_score,
        '{{ var("currency") }}' as currency_code

    from components

    left join new_counts
        on {{ same_period_and_segment('components', 'new_counts') }}

    left join historical
        on {{ same_period_and_segment('components', 'historical') }}

    left join ces_means
        on {{ same_period_and_segment('components', 'ces_means') }}

)

select * from final
