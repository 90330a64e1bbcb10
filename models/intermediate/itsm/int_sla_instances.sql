{#- one row per ticket and SLA metric (grain: ticket_id, metric): the policy valid on the
    ticket's creation date for its type and priority, the clock in the policy's calendar with
    the policy's pause statuses excluded, and the outcome. first_response applies to tickets
    with reply events (a source with a conversation record; not phone, walk-in or
    agent/monitoring-origin) and stops at the first
    agent response, or at the first resolution of a ticket resolved without any; resolution stops at the last resolution. A running clock is measured up to
    the ticket events' watermark: breached once past target, otherwise no outcome yet. -#}
{#- incremental by ticket: a build on top of an earlier one recomputes the touched tickets -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_touched_tickets() }}",
) }}

with

tickets as (

    select * from {{ ref('int_tickets_unioned') }}
    where {{ touched_tickets() }}

),

milestones as (

    select * from {{ ref('int_ticket_milestones') }}

),

policies as (

    select * from {{ ref('stg_contract__sla_policies') }}
    where quarantine_reason is null

),

status_intervals as (

    select * from {{ ref('int_ticket_status_intervals') }}

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

data_end as (

    select max(watermark_at) as watermark_at
    from watermarks
    where source_name in ('tickets', 'ticket_events') and is_present

),

instances as (

    select
        tickets.ticket_id,
        policies.metric,
        policies.policy_id,
        policies.calendar_id,
        policies.pause_statuses,
        policies.target_minutes * 60 as target_seconds,
        tickets.created_at,
        case policies.metric
            -- resolved without any public agent reply: the resolution stops the clock
            when 'first_response'
                then coalesce(milestones.first_response_at, milestones.first_resolved_at)
            else milestones.last_resolved_at
        end as stopped_at,
        data_end.watermark_at

    from tickets

    inner join milestones
        on tickets.ticket_id = milestones.ticket_id

    inner join policies
        on
        tickets.ticket_type = policies.ticket_type
        and tickets.priority = policies.priority
        and {{ to_reporting_date('tickets.created_at') }} >= policies.valid_from
        and (
            policies.valid_to is null
            or {{ to_reporting_date('tickets.created_at') }} <= policies.valid_to
        )

    cross join data_end

    where
        not {{ is_excluded_ticket('tickets') }}
        and (
            policies.metric = 'resolution'
            or (
                tickets.has_conversation
                and tickets.origin = 'requester'
                and tickets.channel not in ('phone', 'walk_in')
            )
        )

),

clocked as (

    select
        *,
        coalesce(stopped_at, greatest(watermark_at, created_at)) as measured_until

    from instances

),

positioned as (

    {{ business_position('clocked', 'measured_until', 'calendar_id', 'until_position') }}

),

segments as (

    -- the running parts of the clock: status intervals not paused, cut at measured_until
    select
        positioned.ticket_id,
        positioned.metric,
        status_intervals.interval_number,
        status_intervals.start_position,
        least(
            coalesce(status_intervals.end_position, positioned.until_position),
            positioned.until_position
        ) - status_intervals.start_position as running_seconds

    from positioned

    inner join status_intervals
        on
        positioned.ticket_id = status_intervals.ticket_id
        and positioned.calendar_id = status_intervals.calendar_id

    where
        status_intervals.started_at < positioned.measured_until
        -- a resolved ticket waits on nobody: its clocks run again only after a reopen
        and status_intervals.status not in ('resolved', 'closed', 'cancelled')
        and not contains(
            ';' || replace(positioned.pause_statuses, ' ', '') || ';',
            ';' || status_intervals.status || ';'
        )

),

accumulated as (

    select
        *,
        coalesce(sum(running_seconds) over (
            partition by ticket_id, metric
            order by interval_number
            rows between unbounded preceding and 1 preceding
        ), 0) as seconds_before

    from segments

),

elapsed as (

    select
        ticket_id,
        metric,
        sum(running_seconds) as elapsed_seconds

    from accumulated
    group by 1, 2

),

crossings as (

    -- the running segment in which the clock passes its target
    select
        accumulated.ticket_id,
        accumulated.metric,
        positioned.calendar_id,
        accumulated.start_position + positioned.target_seconds - accumulated.seconds_before
            as breach_position

    from accumulated

    inner join positioned
        on
        accumulated.ticket_id = positioned.ticket_id
        and accumulated.metric = positioned.metric

    where
        accumulated.seconds_before <= positioned.target_seconds
        and accumulated.seconds_before + accumulated.running_seconds > positioned.target_seconds

),

breaches as (

    {{ business_instant('crossings', 'breach_position', 'calendar_id', 'breached_at') }}

),

final as (

    select
        positioned.ticket_id,
        positioned.metric,
        positioned.policy_id,
        positioned.calendar_id,
        positioned.target_seconds,
        positioned.created_at,
        positioned.stopped_at,
        coalesce(elapsed.elapsed_seconds, 0) as elapsed_business_seconds,
        case
            when coalesce(elapsed.elapsed_seconds, 0) > positioned.target_seconds then 'breached'
            when positioned.stopped_at is not null then 'met'
            else 'running'
        end as outcome,
        case
            when coalesce(elapsed.elapsed_seconds, 0) > positioned.target_seconds
                then breaches.breached_at
        end as breached_at

    from positioned

    left join elapsed
        on
        positioned.ticket_id = elapsed.ticket_id
        and positioned.metric = elapsed.metric

    left join breaches
        on
        positioned.ticket_id = breaches.ticket_id
        and positioned.metric = breaches.metric

)

select * from final
