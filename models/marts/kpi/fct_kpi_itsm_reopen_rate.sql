{#- itsm_reopen_rate: incidents substantively reopened (an agent replied publicly before the next
    resolution) or followed up within var reopen_window_days of a resolution / incidents first
    resolved in the period. A requester's thanks that flips the status without an agent reply is
    not a reopen. Provisional until the window elapses. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from tickets
    where ticket_type = 'incident' and not is_excluded and first_resolved_at is not null

),

{{ kpi_from_units('itsm_reopen_rate', 'units', 'first_resolved_date',
    ticket_segments(), 'rate', 'is_reopened') }}

select * from final
