{#- itsm_request_fulfillment_time: mean business hours from creation to the last resolution over
    service requests resolved in the period. -#}
with

units as (

    {{ kpi_units('itsm_request_fulfillment_time') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_request_fulfillment_time') }}

select * from final
