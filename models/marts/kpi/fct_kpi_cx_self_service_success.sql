{#- cx_self_service_success: successful sessions / sessions, by the session's start date. A
    session with a known requester succeeds when that requester opens no ticket (spam aside)
    within var self_service_window_hours after it and its feedback is not not_solved; an
    anonymous session counts only with feedback (solved = success). Provisional until the
    window elapses. Segments: all, requester type. -#}
with

units as (

    {{ kpi_units('cx_self_service_success') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_self_service_success') }}

select * from final
