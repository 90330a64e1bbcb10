{#- itsm_request_fulfillment_time: mean business hours from creation to the last resolution over
    service requests resolved in the period. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from tickets
    where is_fulfilment_eligible

),

{{ kpi_from_units('itsm_request_fulfillment_time', 'units', 'last_resolved_date',
    ticket_segments(), 'mean', 'resolution_business_hours') }}

select * from final
