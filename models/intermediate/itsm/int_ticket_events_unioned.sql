{#- one row per usable ticket event of every source (grain: event_id): the contract's checked
    events and the status and group changes derived from ServiceNow audit logs. -#}
{%- set columns = [
    'event_id', 'ticket_id', 'occurred_at', 'event_type', 'actor_type', 'actor_id', 'is_public',
    'from_value', 'to_value',
] %}

with

contract_events as (

    select * from {{ ref('int_ticket_events_checked') }}
    where quarantine_reason is null

),

servicenow_events as (

    select * from {{ ref('int_servicenow_events_derived') }}

),

unioned as (

    select {{ columns | join(', ') }} from contract_events
    union all
    select {{ columns | join(', ') }} from servicenow_events

)

select * from unioned
