{#- cx_clv (predictive): ARPA × gross-margin share ÷ churn rate over the customers active at the
    period's start = (revenue / customers) × (margin / revenue) ÷ (churned / customers), i.e.
    their gross margin in the period ÷ the number of them who churned. No value (withheld) when
    nobody churned or there was no revenue. numerator = margin, denominator = churned
    customers, n = customers at start. Month and quarter; segments all, customer segment,
    country. -#}
with

customer_periods as (

    select * from {{ ref('fct_customer_periods') }}
    where period_grain in ('month', 'quarter')

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

measured as (

    {{ expand_periods_and_segments('customer_periods', 'period_start', customer_segments(),
        ['month', 'quarter'], 'period_grain') }}

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as customer_count,
        count(*) filter (where is_churned) as churned_count,
        sum(revenue_amount) as revenue_amount,
        sum(gross_margin_amount) as gross_margin_amount

    from measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'measured', ['month', 'quarter']) }}

),

final as (

    select
        'cx_clv' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        case
            when aggregated.revenue_amount > 0
                then {{ safe_divide('aggregated.gross_margin_amount', 'aggregated.churned_count') }}
        end as value,
        aggregated.gross_margin_amount as numerator,
        cast(coalesce(aggregated.churned_count, 0) as double) as denominator,
        coalesce(aggregated.customer_count, 0) as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from spine

    left join aggregated
        on {{ same_period_and_segment('spine', 'aggregated') }}

)

select * from final
