{#- itsm_problem_resolution_time: median calendar days from a problem record's creation to its last
    resolution, over problems resolved in the period. Open problems are not counted. -#}
with

units as (

    {{ kpi_units('itsm_problem_resolution_time') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_problem_resolution_time') }}

select * from final
