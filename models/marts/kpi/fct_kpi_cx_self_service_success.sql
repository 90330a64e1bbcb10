{#- cx_self_service_success: successful sessions / sessions, by the session's start date. A
    session with a known requester succeeds when that requester opens no ticket (spam aside)
    within var self_service_window_hours after it and its feedback is not not_solved; an
    anonymous session counts only with feedback (solved = success). Provisional until the
    window elapses. Segments: all, requester type. -#}
with

sessions as (

    select * from {{ ref('stg_contract__self_service_sessions') }}
    where quarantine_reason is null

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where not is_spam

),

periods as (

    select * from {{ ref('dim_periods') }}

),

followed_by_ticket as (

    select distinct sessions.session_id

    from sessions

    inner join tickets
        on
        sessions.requester_id = tickets.requester_id
        and sessions.requester_type = tickets.requester_type
        and sessions.started_at < tickets.created_at
        and {{ hours_between('sessions.started_at', 'tickets.created_at') }}
        <= {{ var('self_service_window_hours') }}

),

units as (

    select
        sessions.session_id,
        coalesce(sessions.requester_type, 'anonymous') as requester_type,
        {{ to_reporting_date('sessions.started_at') }} as started_date,
        case
            when sessions.requester_id is null then sessions.feedback = 'solved'
            else followed_by_ticket.session_id is null and sessions.feedback <> 'not_solved'
        end as is_successful

    from sessions

    left join followed_by_ticket
        on sessions.session_id = followed_by_ticket.session_id

    where sessions.requester_id is not null or sessions.feedback in ('solved', 'not_solved')

),

{{ kpi_from_units('cx_self_service_success', 'units', 'started_date',
    {'requester_type': 'requester_type'}, 'rate', 'is_successful') }}

select * from final
