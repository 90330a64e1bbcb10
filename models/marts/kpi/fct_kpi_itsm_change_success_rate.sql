{#- itsm_change_success_rate: completed changes that neither failed, nor were rolled back, nor
    caused a critical, high or medium incident within var change_incident_window_days / changes
    completed (implemented, not cancelled) in the period. Provisional until the window
    elapses. Segments: all, service, change_type. -#}
with

units as (

    {{ kpi_units('itsm_change_success_rate') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_change_success_rate') }}

select * from final
