{#- itsm_reopen_rate: incidents substantively reopened (an agent replied publicly before the next
    resolution) or followed up within var reopen_window_days of a resolution / incidents first
    resolved in the period. A requester's thanks that flips the status without an agent reply is
    not a reopen. Provisional until the window elapses. -#}
with

units as (

    {{ kpi_units('itsm_reopen_rate') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_reopen_rate') }}

select * from final
