{#- itsm_sla_compliance: SLA-bound tickets that met every SLA that applied (first response and
    resolution, in the policy's calendar, paused on its pause statuses) / SLA-bound tickets
    whose outcome became known in the period: at the first breach (even while open) or, all met,
    when the last clock stopped. A ServiceNow incident counts by its own made_sla, at its
    current resolution (fct_tickets). -#}
with

units as (

    {{ kpi_units('itsm_sla_compliance') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_sla_compliance') }}

select * from final
