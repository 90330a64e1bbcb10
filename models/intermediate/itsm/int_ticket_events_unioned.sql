{#- one row per usable ticket event of every source (grain: event_id): the contract's checked
    events and the status and group changes derived from ServiceNow audit logs. -#}
with

contract_events as (

    select * from {{ ref('int_ticket_events_checked') }}
    where quarantine_reason is null

),

servicenow_events as (

    select * from {{ ref('int_servicenow_events_derived') }}

),

unioned as (

    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        from_value,
        to_value
    from contract_events

    union all

    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        from_value,
        to_value
    from servicenow_events

)

select * from unioned
