{#- itsm_avg_response_time: mean business hours over every reply cycle (the oldest unanswered
    requester message, the ticket's creation included, to the next public agent reply),
    attributed to the period of the reply; tickets as for itsm_frt. -#}
with

units as (

    {{ kpi_units('itsm_avg_response_time') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_avg_response_time') }}

select * from final
