{#- per-metric SLA instance rates, never blended (grain: metric × period_grain × period_start ×
    segment_type × segment_value; segments all, priority, team): instances whose outcome
    became known in the period (met when the clock stopped, breached at the breach) and the
    share met. -#}
with

instances as (

    select * from {{ ref('int_sla_instances') }}
    where outcome in ('met', 'breached')

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

outcomes as (

    select
        instances.metric,
        instances.outcome = 'met' as is_met,
        {{ to_reporting_date("case when instances.outcome = 'met' then instances.stopped_at"
            ~ " else instances.breached_at end") }} as outcome_date,
        tickets.priority,
        tickets.team_id

    from instances

    inner join tickets
        on instances.ticket_id = tickets.ticket_id

),

measured as (

    {{ expand_periods_and_segments('outcomes', 'outcome_date',
        {'priority': 'priority', 'team': 'team_id'}) }}

),

final as (

    select
        metric,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as instance_count,
        count(*) filter (where is_met) as met_count,
        {{ safe_divide('count(*) filter (where is_met)', 'count(*)') }} as met_rate

    from measured
    group by 1, 2, 3, 4, 5

)

select * from final
