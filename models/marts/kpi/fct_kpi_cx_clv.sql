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

{{ kpi_from_units('cx_clv', 'customer_periods', 'period_start', customer_segments(),
    'ratio', 'sum(gross_margin_amount)', ['month', 'quarter'], 'period_grain',
    denominator='count(*) filter (where is_churned)',
    defined_when='sum(revenue_amount) > 0') }}

select * from final
