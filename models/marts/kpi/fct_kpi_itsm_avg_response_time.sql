{#- itsm_avg_response_time: mean business hours over every reply cycle (the oldest unanswered
    requester message, the ticket's creation included, to the next public agent reply),
    attributed to the period of the reply; tickets as for itsm_frt. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

cycles as (

    select * from {{ ref('fct_reply_cycles') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        cycles.cycle_number,
        cycles.responded_date,
        cycles.response_business_hours,
        tickets.*

    from cycles

    inner join tickets
        on cycles.ticket_id = tickets.ticket_id

    where tickets.is_response_eligible

),

{{ kpi_from_units('itsm_avg_response_time', 'units', 'responded_date', ticket_segments(),
    'mean', 'response_business_hours') }}

select * from final
