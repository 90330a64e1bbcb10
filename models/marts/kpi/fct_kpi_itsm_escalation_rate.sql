{#- itsm_escalation_rate: tickets escalated at least once (an escalation event, or an assignment
    into a team of a higher tier) / tickets resolved (last resolution) in the period; problems
    excluded, and tickets of sources without a conversation record (a ServiceNow export records
    no escalations). -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select * from tickets
    where is_resolved and not is_excluded and ticket_type <> 'problem' and has_conversation

),

{{ kpi_from_units('itsm_escalation_rate', 'units', 'last_resolved_date',
    ticket_segments(), 'rate', 'is_escalated') }}

select * from final
