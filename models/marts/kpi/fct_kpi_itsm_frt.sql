{#- itsm_frt: median business hours (default calendar) from creation to the first public agent
    reply, over requester-origin tickets answered in the period (phone, walk-in, agent- and
    monitoring-origin, spam, merged, cancelled and problem tickets excluded). Auto-replies and
    internal notes are not responses. Unanswered tickets have no value here; they count toward
    SLA breach. -#}
with

units as (

    {{ kpi_units('itsm_frt') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_frt') }}

select * from final
