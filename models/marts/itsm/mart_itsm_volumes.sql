{#- volume and backlog companions of the ITSM KPIs (grain: period_grain × period_start ×
    segment_type × segment_value; segments all, priority, team, channel): tickets created and
    resolved (last resolution) in the period, the open backlog at the period's end (created,
    not excluded, not resolved by then), and tickets awaiting a first response past their SLA
    target at the period's end. Backlogs are running sums of daily changes, no range joins. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}
    where not is_excluded and ticket_type <> 'problem'

),

periods as (

    select * from {{ ref('dim_periods') }}

),

sla_instances as (

    select * from {{ ref('int_sla_instances') }}
    where metric = 'first_response'

),

daily_changes as (

    -- +1 on the day a ticket opens, -1 on the day it is resolved; awaiting: +1 at breach,
    -- -1 at the (late) first response
    select
        tickets.created_date as change_date,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        1 as created_delta,
        0 as resolved_delta,
        1 as backlog_delta,
        0 as awaiting_delta
    from tickets

    union all

    select
        tickets.last_resolved_date as change_date,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        0 as created_delta,
        1 as resolved_delta,
        -1 as backlog_delta,
        0 as awaiting_delta
    from tickets
    where tickets.last_resolved_date is not null

    union all

    select
        {{ to_reporting_date('sla_instances.breached_at') }} as change_date,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        0 as created_delta,
        0 as resolved_delta,
        0 as backlog_delta,
        1 as awaiting_delta
    from sla_instances
    inner join tickets on sla_instances.ticket_id = tickets.ticket_id
    where sla_instances.outcome = 'breached'

    union all

    select
        tickets.first_response_date as change_date,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        0 as created_delta,
        0 as resolved_delta,
        0 as backlog_delta,
        -1 as awaiting_delta
    from sla_instances
    inner join tickets on sla_instances.ticket_id = tickets.ticket_id
    where sla_instances.outcome = 'breached' and tickets.first_response_date is not null

),

segmented as (

    {{ expand_periods_and_segments('daily_changes', 'change_date',
        {'priority': 'priority', 'team': 'team_id', 'channel': 'channel'}, ['day']) }}

),

per_day as (

    select
        segment_type,
        segment_value,
        period_start as change_date,
        sum(created_delta) as created_count,
        sum(resolved_delta) as resolved_count,
        sum(backlog_delta) as backlog_delta,
        sum(awaiting_delta) as awaiting_delta

    from segmented
    group by 1, 2, 3

),

running as (

    select
        *,
        sum(backlog_delta) over (
            partition by segment_type, segment_value order by change_date
            rows between unbounded preceding and current row
        ) as open_backlog_count,
        sum(awaiting_delta) over (
            partition by segment_type, segment_value order by change_date
            rows between unbounded preceding and current row
        ) as awaiting_past_target_count

    from per_day

),

members as (

    select distinct
        segment_type,
        segment_value
    from running

),

period_members as (

    select
        periods.period_grain,
        periods.period_start,
        periods.next_period_start,
        members.segment_type,
        members.segment_value

    from periods

    cross join members

),

counts as (

    select
        period_members.period_grain,
        period_members.period_start,
        period_members.segment_type,
        period_members.segment_value,
        coalesce(sum(running.created_count), 0) as created_count,
        coalesce(sum(running.resolved_count), 0) as resolved_count

    from period_members

    left join running
        on
        period_members.segment_type = running.segment_type
        and period_members.segment_value = running.segment_value
        and period_members.period_start <= running.change_date
        and period_members.next_period_start > running.change_date

    group by 1, 2, 3, 4

),

at_period_end as (

    -- the running totals on the last day with a change before the period's end
    select
        period_members.period_grain,
        period_members.period_start,
        period_members.segment_type,
        period_members.segment_value,
        coalesce(running.open_backlog_count, 0) as open_backlog_count,
        coalesce(running.awaiting_past_target_count, 0)
            as awaiting_first_response_past_target_count

    from period_members

    asof left join running
        on
        period_members.segment_type = running.segment_type
        and period_members.segment_value = running.segment_value
        and period_members.next_period_start > running.change_date

),

final as (

    select
        counts.period_grain,
        counts.period_start,
        counts.segment_type,
        counts.segment_value,
        counts.created_count,
        counts.resolved_count,
        at_period_end.open_backlog_count,
        at_period_end.awaiting_first_response_past_target_count

    from counts

    inner join at_period_end
        on {{ same_period_and_segment('counts', 'at_period_end') }}

)

select * from final
