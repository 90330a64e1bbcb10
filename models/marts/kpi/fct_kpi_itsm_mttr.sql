{#- itsm_mttr: mean calendar hours from creation to the last resolution over incidents resolved
    in the period (current status resolved or closed; spam, merged and cancelled excluded),
    attributed to the local date of the last resolution. An incident reopened and still open is
    backlog, not counted. -#}
with

units as (

    {{ kpi_units('itsm_mttr') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_mttr') }}

select * from final
