{#- incremental by ticket: a build on top of an earlier one recomputes the touched tickets;
    every model that calls touched_tickets() is downstream of this one -#}
-- depends_on: {{ ref('int_tickets_touched') }}
-- depends_on: {{ ref('stg_contract__load_manifest') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_touched_tickets() }}",
) }}

with

events as (

    select * from {{ ref('stg_contract__ticket_events') }}
    where
        {{ touched_tickets() }}
    {% if incremental_build() %}
        -- rows without a ticket belong to no touched ticket: the new ones are added
        or (ticket_id is null and {{ newly_loaded(ref('stg_contract__load_manifest')) }})
    {% endif %}

),

tickets as (

    select * from {{ ref('stg_contract__tickets') }}
    where quarantine_reason is null

),

checked as (

    select
        events.event_id,
        events.ticket_id,
        events.occurred_at,
        events.event_type,
        events.actor_type,
        events.actor_id,
        events.is_public,
        events.from_value,
        events.to_value,
        -- an orphan passed staging: its staged values stand in for the raw ones
        coalesce(events.raw_values, case
            when tickets.ticket_id is null and events.quarantine_reason is null
                then {{ to_json_text('events') }}
        end) as raw_values,
        events._row_number,
        events._source_file,
        events._loaded_at,
        coalesce(
            events.quarantine_reason,
            case when tickets.ticket_id is null then 'orphan: ticket_id not in tickets' end
        ) as quarantine_reason

    from events

    left join tickets
        on events.ticket_id = tickets.ticket_id

)

select * from checked
