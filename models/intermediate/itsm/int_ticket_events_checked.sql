with

events as (

    select * from {{ ref('stg_contract__ticket_events') }}

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
