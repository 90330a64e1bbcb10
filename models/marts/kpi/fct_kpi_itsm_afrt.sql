{#- itsm_afrt: mean business hours of the same per-ticket first responses as itsm_frt, attributed to
    the period of the reply. -#}
with

units as (

    {{ kpi_units('itsm_afrt') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_afrt') }}

select * from final
