{#- itsm_frt: median business hours (default calendar) from creation to the first public agent
    reply, over requester-origin tickets answered in the period (phone, walk-in, agent- and
    monitoring-origin, spam, merged, cancelled and problem tickets excluded). Auto-replies and
    internal notes are not responses. Unanswered tickets have no value here; they count toward
    SLA breach. -#}
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

{{ kpi_from_units('itsm_frt', 'units', 'first_response_date',
    ticket_segments(), 'median', 'first_response_business_hours') }}

select * from final
