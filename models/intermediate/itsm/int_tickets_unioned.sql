{#- one row per usable ticket of every source (grain: ticket_id, unique across sources: contract
    ids as they are, adapter ids prefixed '<system>:'). What each source can tell:
    has_conversation (its events record replies, notes and escalations), has_status_history (its
    status changes are known, so net times can be computed), reports_own_outcomes (the source's
    own reopen count, reassignment count and SLA result are the truth, attributed to the period
    of the current resolution). -#}
{%- set columns = [
    'ticket_id', 'source_ticket_id', 'source_system', 'ticket_type', 'requester_type',
    'requester_id', 'channel', 'priority', 'category', 'service_id', 'team_id', 'assignee_id',
    'status', 'origin', 'is_spam', 'created_at', 'resolved_at', 'closed_at', 'problem_id',
    'caused_by_change_id', 'merged_into_ticket_id', 'followup_of_ticket_id', 'rfc_change_id',
    'has_conversation', 'has_status_history', 'reports_own_outcomes', 'source_reopen_count',
    'source_reassignment_count', 'source_made_sla',
] %}

with

contract_tickets as (

    select * from {{ ref('stg_contract__tickets') }}
    where quarantine_reason is null

),

servicenow_incidents as (

    select * from {{ ref('int_servicenow_incidents_rolled_up') }}

),

contract_shaped as (

    -- the contract records conversations and status history and reports no outcomes
    select
        *,
        ticket_id as source_ticket_id,
        cast(null as varchar) as rfc_change_id,
        true as has_conversation,
        true as has_status_history,
        false as reports_own_outcomes,
        cast(null as integer) as source_reopen_count,
        cast(null as integer) as source_reassignment_count,
        cast(null as boolean) as source_made_sla

    from contract_tickets

),

unioned as (

    select {{ columns | join(', ') }} from contract_shaped
    union all
    select {{ columns | join(', ') }} from servicenow_incidents

)

select * from unioned
