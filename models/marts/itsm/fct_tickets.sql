{#- one row per usable ticket (grain: ticket_id) with every per-ticket measure the ITSM, EX
    and CX KPIs read: exclusion and eligibility flags, milestones, durations in calendar and
    business hours (default calendar), reopen / escalation / reassignment / FCR flags and the
    ticket's SLA outcome. Unknown team references map to `unknown`. A source that reports its
    own SLA result (ServiceNow made_sla) decides the outcome: every such incident is SLA-bound
    and its outcome is known at its current resolution. -#}
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

teams as (

    select * from {{ ref('dim_teams') }}
    where not is_unknown_member

),

milestones as (

    select * from {{ ref('int_ticket_milestones') }}

),

durations as (

    select * from {{ ref('int_ticket_durations') }}

),

sla_instances as (

    select * from {{ ref('int_sla_instances') }}

),

sla_outcomes as (

    -- known at the first breach, else when every clock has stopped within target
    select
        ticket_id,
        max(case when metric = 'first_response' then outcome end) as first_response_sla_outcome,
        max(case when metric = 'resolution' then outcome end) as resolution_sla_outcome,
        case
            when bool_or(outcome = 'breached') then 'breached'
            when bool_and(outcome = 'met') then 'met'
            else 'running'
        end as sla_outcome,
        case
            when bool_or(outcome = 'breached') then min(breached_at)
            when bool_and(outcome = 'met') then max(stopped_at)
        end as sla_outcome_at

    from sla_instances
    group by 1

),

joined as (

    select
        tickets.ticket_id,
        tickets.source_system,
        tickets.source_ticket_id,
        tickets.has_conversation,
        tickets.has_status_history,
        tickets.ticket_type,
        tickets.requester_type,
        tickets.requester_id,
        tickets.channel,
        tickets.priority,
        coalesce(tickets.category, 'unknown') as category,
        coalesce(tickets.service_id, 'unknown') as service_id,
        coalesce(teams.team_id, 'unknown') as team_id,
        tickets.team_id is not null and teams.team_id is null as has_unknown_team,
        tickets.assignee_id,
        tickets.status,
        tickets.origin,
        tickets.is_spam,
        tickets.merged_into_ticket_id is not null as is_merged,
        tickets.status = 'cancelled' as is_cancelled,
        {{ is_excluded_ticket('tickets') }} as is_excluded,
        -- resolved: a current resolution with its time (kpi-spec: a ServiceNow incident closed
        -- without resolved_at is in no resolution headline)
        milestones.last_resolved_at is not null as is_resolved,
        tickets.channel in ('phone', 'walk_in', 'chat') as is_live_channel,
        tickets.created_at,
        milestones.first_response_at,
        milestones.first_resolved_at,
        milestones.last_resolved_at,
        tickets.closed_at,
        milestones.response_count,
        milestones.responses_before_first_resolution,
        milestones.requester_messages_before_first_resolution,
        milestones.reassignment_count,
        milestones.is_reassigned_before_first_resolution,
        milestones.is_escalated,
        milestones.reopen_count,
        milestones.followup_count,
        milestones.is_reopened,
        durations.first_response_business_seconds / 3600.0 as first_response_business_hours,
        durations.first_response_calendar_seconds / 3600.0 as first_response_calendar_hours,
        durations.first_resolution_business_seconds / 3600.0 as first_resolution_business_hours,
        durations.resolution_business_seconds / 3600.0 as resolution_business_hours,
        durations.resolution_calendar_seconds / 3600.0 as resolution_calendar_hours,
        durations.net_resolution_business_seconds / 3600.0 as net_resolution_business_hours,
        durations.net_resolution_calendar_seconds / 3600.0 as net_resolution_calendar_hours,
        tickets.source_made_sla is not null or sla_outcomes.ticket_id is not null
            as is_sla_bound,
        sla_outcomes.first_response_sla_outcome,
        sla_outcomes.resolution_sla_outcome,
        case
            when tickets.source_made_sla is null then sla_outcomes.sla_outcome
            when milestones.last_resolved_at is null then 'running'
            when tickets.source_made_sla then 'met'
            else 'breached'
        end as sla_outcome,
        case
            when tickets.source_made_sla is null then sla_outcomes.sla_outcome_at
            else milestones.last_resolved_at
        end as sla_outcome_at,
        tickets.problem_id,
        tickets.caused_by_change_id,
        tickets.merged_into_ticket_id,
        tickets.followup_of_ticket_id,
        tickets.rfc_change_id

    from tickets

    inner join milestones
        on tickets.ticket_id = milestones.ticket_id

    inner join durations
        on tickets.ticket_id = durations.ticket_id

    left join teams
        on tickets.team_id = teams.team_id

    left join sla_outcomes
        on tickets.ticket_id = sla_outcomes.ticket_id

),

contacts as (

    -- a requester's own contact (kpi-spec: monitoring- and agent-origin tickets are left out
    -- of response KPIs, FCR and CSAT): what CSAT counts, and the base of the other two
    select
        *,
        not is_excluded
        and ticket_type <> 'problem'
        and origin = 'requester' as is_csat_eligible

    from joined

),

flagged as (

    select
        *,
        -- response KPIs: contacts that expect a written reply, from a source that records the
        -- conversation
        is_csat_eligible
        and has_conversation
        and channel not in ('phone', 'walk_in') as is_response_eligible,
        -- net FCR: async tickets need exactly one agent reply; live channels one business hour
        is_csat_eligible
        and has_conversation
        and first_resolved_at is not null
        and (is_live_channel or responses_before_first_resolution >= 1) as is_fcr_eligible,
        case
            when is_live_channel
                then first_resolution_business_hours <= 1
            else
                responses_before_first_resolution = 1
                and requester_messages_before_first_resolution = 0
        end
        and not is_reassigned_before_first_resolution
        and not is_escalated
        and not is_reopened as meets_first_contact_rules,
        -- resolution KPIs: a current resolution, not excluded, by ticket type (MTTR: incidents,
        -- request fulfilment: service requests, problem resolution: problems)
        ticket_type = 'incident' and is_resolved and not is_excluded as is_mttr_eligible,
        ticket_type = 'service_request' and is_resolved and not is_excluded
            as is_fulfilment_eligible,
        ticket_type = 'problem' and is_resolved and not is_excluded
            as is_problem_resolution_eligible

    from contacts

),

final as (

    select
        * exclude (meets_first_contact_rules),
        -- defined for the tickets FCR counts, NULL for the others
        case when is_fcr_eligible then meets_first_contact_rules end
            as is_first_contact_resolution,
        {{ to_reporting_date('created_at') }} as created_date,
        {{ to_reporting_date('first_response_at') }} as first_response_date,
        {{ to_reporting_date('first_resolved_at') }} as first_resolved_date,
        {{ to_reporting_date('last_resolved_at') }} as last_resolved_date,
        {{ to_reporting_date('sla_outcome_at') }} as sla_outcome_date

    from flagged

)

select * from final
