{#- itsm_problem_resolution_time: median calendar days from a problem record's creation to its last
    resolution, over problems resolved in the period. Open problems are not counted. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        *,
        resolution_calendar_hours / 24 as resolution_calendar_days
    from tickets
    where is_problem_resolution_eligible

),

{{ kpi_from_units('itsm_problem_resolution_time', 'units', 'last_resolved_date',
    ticket_segments(), 'median', 'resolution_calendar_days') }}

select * from final
