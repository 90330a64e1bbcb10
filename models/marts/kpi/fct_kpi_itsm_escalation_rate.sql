{#- itsm_escalation_rate: tickets escalated at least once (an escalation event, or an assignment
    into a team of a higher tier) / tickets resolved (last resolution) in the period; problems
    excluded, and tickets of sources without a conversation record (a ServiceNow export records
    no escalations). -#}
with

units as (

    {{ kpi_units('itsm_escalation_rate') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_escalation_rate') }}

select * from final
