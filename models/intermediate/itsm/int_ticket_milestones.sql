{#- one row per usable ticket (grain: ticket_id): what its event log says about it. Responses are
    public replies by agents (system auto-replies and internal notes never count); requester
    messages are public replies by the requester; a reopen is a status change out of resolved or
    closed, counted when substantive (an agent replies publicly before the next resolution) and
    within var reopen_window_days of the resolution it undid; a follow-up ticket created within
    that window after a resolution is a reopen too. A source without a conversation record
    cannot show substantiveness: any reopen within the window counts. A source that reports
    its own outcomes (ServiceNow) is the truth for reopens and reassignments, and its reopen
    rate belongs to the period of the current resolution (resolved_at). -#}
{#- incremental by ticket: a build on top of an earlier one recomputes the touched tickets -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_touched_tickets() }}",
) }}

with

tickets as (

    -- with the latest resolution, computed here once and carried by every model downstream:
    -- while the current status is resolved or closed (a ticket reopened and still open has
    -- none), resolved_at, else for contract tickets closed_at; a source that reports its own
    -- outcomes (ServiceNow) counts only incidents with a resolved_at, as its own reports do
    -- (quality_servicenow_unresolved_closures counts the others)
    select
        *,
        case
            when status in ('resolved', 'closed')
                then coalesce(resolved_at, case when not reports_own_outcomes then closed_at end)
        end as last_resolved_at
    from {{ ref('int_tickets_unioned') }}

),

events as (

    select * from {{ ref('int_ticket_events_unioned') }}
    where {{ touched_tickets() }}

),

teams as (

    select * from {{ ref('stg_contract__teams') }}
    where quarantine_reason is null

),

classified as (

    select
        events.ticket_id,
        events.event_id,
        events.occurred_at,
        events.event_type,
        events.from_value,
        events.to_value,
        tickets.created_at,
        tickets.has_conversation,
        events.event_type = 'reply' and events.actor_type = 'agent' and events.is_public
            as is_agent_response,
        events.event_type = 'reply' and events.actor_type = 'requester' and events.is_public
            as is_requester_message,
        events.event_type = 'status_change' and events.to_value in ('resolved', 'closed')
        and coalesce(events.from_value, '') not in ('resolved', 'closed') as is_resolution,
        events.event_type = 'status_change'
        and events.from_value in ('resolved', 'closed')
        and events.to_value in ('new', 'open', 'pending', 'on_hold') as is_reopen,
        events.event_type = 'assignment'
        and events.from_value is not null
        and events.to_value is not null
        and events.from_value <> events.to_value as is_reassignment,
        events.event_type = 'escalation'
        or (
            events.event_type = 'assignment'
            and to_team.tier > from_team.tier
        ) as is_escalation

    from events

    inner join tickets
        on events.ticket_id = tickets.ticket_id

    left join teams as from_team
        on events.from_value = from_team.team_id

    left join teams as to_team
        on events.to_value = to_team.team_id

),

first_resolutions as (

    select
        ticket_id,
        min(occurred_at) as first_resolved_at

    from classified
    where is_resolution
    group by 1

),

ordered as (

    select
        classified.*,
        first_resolutions.first_resolved_at,
        -- the latest resolution up to this event, and the next ones after it
        max(case when classified.is_resolution then classified.occurred_at end) over (
            partition by classified.ticket_id
            order by classified.occurred_at, classified.event_id
            rows between unbounded preceding and current row
        ) as resolved_before_at,
        min(case when classified.is_resolution then classified.occurred_at end) over (
            partition by classified.ticket_id
            order by classified.occurred_at, classified.event_id
            rows between 1 following and unbounded following
        ) as resolved_after_at,
        min(case when classified.is_agent_response then classified.occurred_at end) over (
            partition by classified.ticket_id
            order by classified.occurred_at, classified.event_id
            rows between 1 following and unbounded following
        ) as next_response_at

    from classified

    left join first_resolutions
        on classified.ticket_id = first_resolutions.ticket_id

),

per_ticket as (

    select
        ticket_id,
        min(first_resolved_at) as first_resolved_at,
        min(occurred_at) filter (
            where is_agent_response and occurred_at >= created_at
        ) as first_response_at,
        count(*) filter (
            where is_agent_response
            and (first_resolved_at is null or occurred_at <= first_resolved_at)
        ) as responses_before_first_resolution,
        count(*) filter (
            where is_requester_message
            and occurred_at > created_at
            and (first_resolved_at is null or occurred_at < first_resolved_at)
        ) as requester_messages_before_first_resolution,
        count(*) filter (where is_agent_response) as response_count,
        count(*) filter (where is_reassignment) as reassignment_count,
        coalesce(bool_or(is_reassignment) filter (
            where first_resolved_at is null or occurred_at <= first_resolved_at
        ), false) as is_reassigned_before_first_resolution,
        coalesce(bool_or(is_escalation), false) as is_escalated,
        count(*) filter (where is_reopen) as reopen_count,
        coalesce(bool_or(
            is_reopen
            and (
                not has_conversation
                or (
                    next_response_at is not null
                    and (resolved_after_at is null or next_response_at < resolved_after_at)
                )
            )
            and {{ hours_between('resolved_before_at', 'occurred_at') }}
            <= {{ var('reopen_window_days') }} * 24
        ), false) as has_substantive_reopen

    from ordered
    group by 1

),

followups as (

    select
        originals.ticket_id,
        count(*) as followup_count

    from tickets as originals

    inner join first_resolutions
        on originals.ticket_id = first_resolutions.ticket_id

    inner join tickets as followup_tickets
        on originals.ticket_id = followup_tickets.followup_of_ticket_id

    where
        followup_tickets.created_at > first_resolutions.first_resolved_at
        and {{ hours_between('coalesce(originals.resolved_at, originals.closed_at)',
            'followup_tickets.created_at') }} <= {{ var('reopen_window_days') }} * 24

    group by 1

),

final as (

    select
        tickets.ticket_id,
        case
            when tickets.reports_own_outcomes then tickets.last_resolved_at
            else coalesce(per_ticket.first_resolved_at, tickets.last_resolved_at)
        end as first_resolved_at,
        tickets.last_resolved_at,
        per_ticket.first_response_at,
        coalesce(per_ticket.responses_before_first_resolution, 0)
            as responses_before_first_resolution,
        coalesce(per_ticket.requester_messages_before_first_resolution, 0)
            as requester_messages_before_first_resolution,
        coalesce(per_ticket.response_count, 0) as response_count,
        coalesce(tickets.source_reassignment_count, per_ticket.reassignment_count, 0)
            as reassignment_count,
        coalesce(per_ticket.is_reassigned_before_first_resolution, false)
            as is_reassigned_before_first_resolution,
        coalesce(per_ticket.is_escalated, false) as is_escalated,
        coalesce(tickets.source_reopen_count, per_ticket.reopen_count, 0) as reopen_count,
        case
            when tickets.source_reopen_count is not null then tickets.source_reopen_count > 0
            else
                coalesce(per_ticket.has_substantive_reopen, false)
                or coalesce(followups.followup_count, 0) > 0
        end as is_reopened,
        coalesce(followups.followup_count, 0) as followup_count

    from tickets

    left join per_ticket
        on tickets.ticket_id = per_ticket.ticket_id

    left join followups
        on tickets.ticket_id = followups.ticket_id

    -- tickets stays whole: a touched ticket's follow-ups are counted from all tickets
    where {{ touched_tickets('tickets.ticket_id') }}

)

select * from final
