{#- one row per ticket, status interval and calendar (grain: ticket_id, interval_number,
    calendar_id): the ticket's statuses from creation ('new') through its status changes, each
    interval placed on the business-hours axis of every calendar a KPI or an SLA policy uses.
    The last interval is open (ended_at NULL). -#}
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

events as (

    select * from {{ ref('int_ticket_events_unioned') }}
    where event_type = 'status_change' and {{ touched_tickets() }}

),

policies as (

    select * from {{ ref('stg_contract__sla_policies') }}
    where quarantine_reason is null

),

calendars as (

    select 'default' as calendar_id
    union
    select calendar_id from policies

),

changes as (

    select
        ticket_id,
        created_at as started_at,
        '' as event_id,
        'new' as status
    from tickets

    union all

    select
        events.ticket_id,
        greatest(events.occurred_at, tickets.created_at) as started_at,
        events.event_id,
        events.to_value as status

    from events

    inner join tickets
        on events.ticket_id = tickets.ticket_id

),

intervals as (

    select
        ticket_id,
        status,
        started_at,
        lead(started_at) over (
            partition by ticket_id order by started_at, event_id
        ) as ended_at,
        row_number() over (partition by ticket_id order by started_at, event_id)
            as interval_number

    from changes

),

per_calendar as (

    select
        intervals.*,
        calendars.calendar_id

    from intervals

    cross join calendars

),

started as (

    {{ business_position('per_calendar', 'started_at', 'calendar_id', 'start_position') }}

),

ended as (

    {{ business_position('started', 'ended_at', 'calendar_id', 'end_position') }}

),

final as (

    select
        ticket_id,
        interval_number,
        calendar_id,
        status,
        started_at,
        ended_at,
        end_position - start_position as business_seconds,
        epoch(ended_at) - epoch(started_at) as calendar_seconds,
        start_position,
        end_position

    from ended

)

select * from final
