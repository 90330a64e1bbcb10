{#- itsm_csat: answered ticket surveys of type csat in the top box of their scale (4–5 on
    1–5) / answered ticket surveys, all requesters, attributed to the response date. Score 3
    stays in the denominator; unanswered surveys are not rows. Surveys on excluded, problem,
    agent- or monitoring-origin tickets are left out. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where quarantine_reason is null

),

periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    select
        responses.response_id,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        {{ is_top_box('responses.score', 'responses.scale_min', 'responses.scale_max') }}
            as is_top_box,
        tickets.*

    from responses

    inner join tickets
        on responses.ticket_id = tickets.ticket_id

    where
        responses.survey_type = 'csat'
        and tickets.is_csat_eligible

),

{{ kpi_from_units('itsm_csat', 'units', 'responded_date', ticket_segments(), 'rate',
    'is_top_box') }}

select * from final
