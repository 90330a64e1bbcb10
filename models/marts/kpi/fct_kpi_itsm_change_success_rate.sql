{#- itsm_change_success_rate: completed changes that neither failed, nor were rolled back, nor
    caused a critical, high or medium incident within var change_incident_window_days / changes
    completed (implemented, not cancelled) in the period. Provisional until the window
    elapses. Segments: all, service, change_type. -#}
with

changes as (

    select * from {{ ref('fct_changes') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from changes
    where is_completed

),

{{ kpi_from_units('itsm_change_success_rate', 'units', 'implemented_date',
    {'service': 'service_id', 'change_type': 'change_type'}, 'rate', 'is_successful') }}

select * from final
