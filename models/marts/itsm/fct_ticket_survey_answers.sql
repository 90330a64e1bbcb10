{#- one row per answered csat survey on a csat-eligible ticket (grain: response_id): its
    response date, whether the score is in the top box of its scale (4–5 on 1–5), and the
    ticket's segment columns. Read by itsm_csat (every requester) and cx_csat (customers).
    Surveys on excluded, problem, agent- or monitoring-origin tickets are not rows. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where quarantine_reason is null

),

final as (

    select
        responses.response_id,
        responses.responded_at,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        {{ is_top_box('responses.score', 'responses.scale_min', 'responses.scale_max') }}
            as is_top_box,
        tickets.ticket_id,
        tickets.requester_type,
        tickets.requester_id,
        tickets.channel,
        tickets.priority,
        tickets.team_id,
        tickets.category,
        tickets.service_id

    from responses

    inner join tickets
        on responses.ticket_id = tickets.ticket_id

    where
        responses.survey_type = 'csat'
        and tickets.is_csat_eligible

)

select * from final
