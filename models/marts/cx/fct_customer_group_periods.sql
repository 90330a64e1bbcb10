{#- one row per day or week and customer group (grain: period_grain × period_start ×
    customer_segment × country) with customers active at the period's start: how many, and
    how many of them churned in the period (churned_at in (start, end]). The month and quarter
    figures come from fct_customer_periods, one row per customer; day and week are counted
    here from the period boundaries customers cross, never per customer and day. -#}
with

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_unknown_member

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('day', 'week')

),

first_periods as (

    select
        period_grain,
        min(period_start) as first_period_start
    from periods
    group by 1

),

boundary_days as (

    -- the first local day whose midnight is at or after acquisition and churn: a customer is
    -- active at the start of a period starting on or after the first, and not on or after
    -- the second
    select
        customer_segment,
        country,
        case
            when {{ reporting_midnight_utc(to_reporting_date('acquired_at')) }} = acquired_at
                then {{ to_reporting_date('acquired_at') }}
            else cast({{ dbt.dateadd('day', 1, to_reporting_date('acquired_at')) }} as date)
        end as acquired_day,
        case
            when {{ reporting_midnight_utc(to_reporting_date('churned_at')) }} = churned_at
                then {{ to_reporting_date('churned_at') }}
            else cast({{ dbt.dateadd('day', 1, to_reporting_date('churned_at')) }} as date)
        end as churned_day

    from customers

),

boundaries as (

    -- per grain, the first period start on or after those days: the start of the period after
    -- the one holding the day before
    select
        boundary_days.customer_segment,
        boundary_days.country,
        first_periods.period_grain,
        first_periods.first_period_start,
        {{ next_period_start('first_periods.period_grain', period_start(
            'first_periods.period_grain',
            "cast(" ~ dbt.dateadd('day', -1, 'boundary_days.acquired_day') ~ " as date)")) }}
            as active_from,
        {{ next_period_start('first_periods.period_grain', period_start(
            'first_periods.period_grain',
            "cast(" ~ dbt.dateadd('day', -1, 'boundary_days.churned_day') ~ " as date)")) }}
            as active_until

    from boundary_days

    cross join first_periods

),

changes as (

    select
        period_grain,
        customer_segment,
        country,
        greatest(active_from, first_period_start) as period_start,
        1 as active_change
    from boundaries

    union all

    select
        period_grain,
        customer_segment,
        country,
        greatest(active_until, first_period_start) as period_start,
        -1 as active_change
    from boundaries
    where active_until is not null

),

period_changes as (

    select
        period_grain,
        period_start,
        customer_segment,
        country,
        sum(active_change) as active_change
    from changes
    group by 1, 2, 3, 4

),

churns as (

    -- churned in the period that ends where its activity ends, if active at that period's
    -- start (active from an earlier period start)
    select
        period_grain,
        active_until as next_period_start,
        customer_segment,
        country,
        count(*) as churned_customers
    from boundaries
    where active_until is not null and active_from < active_until
    group by 1, 2, 3, 4

),

customer_groups as (

    select distinct
        customer_segment,
        country
    from customers

),

counted as (

    select
        periods.period_grain,
        periods.period_start,
        customer_groups.customer_segment,
        customer_groups.country,
        sum(coalesce(period_changes.active_change, 0)) over (
            partition by
                periods.period_grain, customer_groups.customer_segment, customer_groups.country
            order by periods.period_start
            rows unbounded preceding
        ) as active_customers,
        coalesce(churns.churned_customers, 0) as churned_customers

    from periods

    cross join customer_groups

    left join period_changes
        on
        periods.period_grain = period_changes.period_grain
        and periods.period_start = period_changes.period_start
        and customer_groups.customer_segment = period_changes.customer_segment
        and customer_groups.country = period_changes.country

    left join churns
        on
        periods.period_grain = churns.period_grain
        and periods.next_period_start = churns.next_period_start
        and customer_groups.customer_segment = churns.customer_segment
        and customer_groups.country = churns.country

),

final as (

    select * from counted
    where active_customers > 0

)

select * from final
