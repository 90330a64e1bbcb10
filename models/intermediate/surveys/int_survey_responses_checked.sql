with

responses as (

    select * from {{ ref('stg_contract__survey_responses') }}

),

tickets as (

    select * from {{ ref('int_tickets_unioned') }}

),

checked as (

    select
        responses.response_id,
        responses.survey_type,
        responses.respondent_type,
        responses.respondent_id,
        responses.ticket_id,
        responses.question_id,
        responses.responded_at,
        responses.score,
        responses.scale_min,
        responses.scale_max,
        -- an orphan passed staging: its staged values stand in for the raw ones
        coalesce(responses.raw_values, case
            when
                responses.ticket_id is not null
                and tickets.ticket_id is null
                and responses.quarantine_reason is null
                then {{ to_json_text('responses') }}
        end) as raw_values,
        responses._row_number,
        responses._source_file,
        responses._loaded_at,
        coalesce(
            responses.quarantine_reason,
            case
                when responses.ticket_id is not null and tickets.ticket_id is null
                    then 'orphan: ticket_id not in tickets'
            end
        ) as quarantine_reason

    from responses

    left join tickets
        on responses.ticket_id = tickets.ticket_id

)

select * from checked
