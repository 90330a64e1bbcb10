{#- itsm_afrt: mean business hours of the same per-ticket first responses as itsm_frt, attributed to
    the period of the reply. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from tickets
    where is_response_eligible and first_response_at is not null

),

{{ kpi_from_units('itsm_afrt', 'units', 'first_response_date',
    ticket_segments(), 'mean', 'first_response_business_hours') }}

select * from final
