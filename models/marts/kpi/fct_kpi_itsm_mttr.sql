{#- itsm_mttr: mean calendar hours from creation to the last resolution over incidents resolved
    in the period (current status resolved or closed; spam, merged and cancelled excluded),
    attributed to the local date of the last resolution. An incident reopened and still open is
    backlog, not counted. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from tickets
    where is_mttr_eligible

),

{{ kpi_from_units('itsm_mttr', 'units', 'last_resolved_date', ticket_segments(), 'mean',
    'resolution_calendar_hours') }}

select * from final
