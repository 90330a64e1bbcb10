{#- itsm_csat: answered ticket surveys of type csat in the top box of their scale (4–5 on
    1–5) / answered ticket surveys, all requesters, attributed to the response date. Score 3
    stays in the denominator; unanswered surveys are not rows. Surveys on excluded, problem,
    agent- or monitoring-origin tickets are left out. -#}
with

units as (

    {{ kpi_units('itsm_csat') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_csat') }}

select * from final
