{#- itsm_sla_compliance: SLA-bound tickets that met every SLA that applied (first response and
    resolution, in the policy's calendar, paused on its pause statuses) / SLA-bound tickets
    whose outcome became known in the period: at the first breach (even while open) or, all met,
    when the last clock stopped. A ServiceNow incident counts by its own made_sla, at its
    current resolution (fct_tickets). -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        *,
        sla_outcome = 'met' as is_sla_met
    from tickets
    where is_sla_bound and sla_outcome in ('met', 'breached')

),

{{ kpi_from_units('itsm_sla_compliance', 'units', 'sla_outcome_date',
    ticket_segments(), 'rate', 'is_sla_met') }}

select * from final
