{#- itsm_cost_per_ticket: support costs of the period / tickets resolved in the period (last
    resolution; spam, merged, cancelled and problem tickets excluded), in the configured
    currency. Costs are monthly, so month and quarter grains only. Segments: all, team (the
    team's cost over the tickets it owns). No value where nothing was resolved. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

costs as (

    select * from {{ ref('fct_support_costs') }}

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('month', 'quarter')

),

resolved as (

    select * from tickets
    where
        is_resolved
        and not is_excluded
        and ticket_type <> 'problem'

),

resolved_measured as (

    {{ expand_periods_and_segments('resolved', 'last_resolved_date', {'team': 'team_id'},
        ['month', 'quarter']) }}

),

costs_measured as (

    {{ expand_periods_and_segments('costs', 'cost_month', {'team': 'team_id'},
        ['month', 'quarter']) }}

),

resolved_counts as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as resolved_ticket_count

    from resolved_measured
    group by 1, 2, 3, 4

),

cost_sums as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        sum(cost_amount) as cost_amount

    from costs_measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'costs_measured', ['month', 'quarter']) }}

),

final as (

    select
        'itsm_cost_per_ticket' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        {{ safe_divide('cost_sums.cost_amount', 'resolved_counts.resolved_ticket_count') }}
            as value,
        cost_sums.cost_amount as numerator,
        cast(coalesce(resolved_counts.resolved_ticket_count, 0) as double) as denominator,
        coalesce(resolved_counts.resolved_ticket_count, 0) as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from spine

    left join resolved_counts
        on {{ same_period_and_segment('spine', 'resolved_counts') }}

    left join cost_sums
        on {{ same_period_and_segment('spine', 'cost_sums') }}

)

select * from final
