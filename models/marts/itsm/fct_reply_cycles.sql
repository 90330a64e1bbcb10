{#- one row per reply cycle (grain: ticket_id, cycle_number): from the oldest requester message
    not yet answered (the ticket's creation counts as the first message of a requester-origin
    ticket) to the next public agent reply; several requester messages before one reply make
    one cycle, and an agent reply with no message waiting closes none. -#}
{#- incremental by ticket: a build on top of an earlier one recomputes the touched tickets -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_touched_tickets() }}",
) }}

with

tickets as (

    -- only sources that record the conversation have replies to measure
    select * from {{ ref('int_tickets_unioned') }}
    where has_conversation and {{ touched_tickets() }}

),

events as (

    select * from {{ ref('int_ticket_events_unioned') }}
    where {{ touched_tickets() }}

),

messages as (

    select
        ticket_id,
        created_at as occurred_at,
        '' as event_id,
        0 as is_response
    from tickets
    where origin = 'requester'

    union all

    select
        ticket_id,
        occurred_at,
        event_id,
        case when actor_type = 'agent' then 1 else 0 end as is_response
    from events
    where
        event_type = 'reply'
        and is_public
        and actor_type in ('agent', 'requester')

),

numbered as (

    -- a message belongs to the cycle closed by the next response: count responses before it
    select
        ticket_id,
        occurred_at,
        is_response,
        coalesce(sum(is_response) over (
            partition by ticket_id
            order by occurred_at, is_response, event_id
            rows between unbounded preceding and 1 preceding
        ), 0) as responses_before

    from messages

),

waiting as (

    select
        ticket_id,
        responses_before,
        min(occurred_at) as requested_at

    from numbered
    where is_response = 0
    group by 1, 2

),

responses as (

    select
        ticket_id,
        responses_before,
        occurred_at as responded_at

    from numbered
    where is_response = 1

),

cycles as (

    select
        waiting.ticket_id,
        waiting.responses_before + 1 as cycle_number,
        'default' as calendar_id,
        waiting.requested_at,
        responses.responded_at

    from waiting

    inner join responses
        on
        waiting.ticket_id = responses.ticket_id
        and waiting.responses_before = responses.responses_before

),

requested as (

    {{ business_position('cycles', 'requested_at', 'calendar_id', 'requested_position') }}

),

responded as (

    {{ business_position('requested', 'responded_at', 'calendar_id', 'responded_position') }}

),

final as (

    select
        ticket_id,
        cycle_number,
        requested_at,
        responded_at,
        (responded_position - requested_position) / 3600.0 as response_business_hours,
        {{ hours_between('requested_at', 'responded_at') }} as response_calendar_hours,
        {{ to_reporting_date('responded_at') }} as responded_date

    from responded

)

select * from final
