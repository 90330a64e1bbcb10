with

source as (

    select
        *,
        {{ key_rank(['response_id']) }} as _key_rank
    from {{ source('landing', 'survey_responses') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('response_id') }} as response_id,
        {{ pseudonymize('respondent_id') }} as respondent_id,
        {{ blank_to_null('ticket_id') }} as ticket_id,
        {{ blank_to_null('question_id') }} as question_id,

        -- enums
        {{ parse_enum('survey_type', ['csat', 'nps', 'ces', 'esat', 'enps', 'engagement']) }}
            as survey_type,
        {{ parse_enum('respondent_type', ['employee', 'customer']) }} as respondent_type,

        -- numerics: the instrument's scale defaults by survey type
        {{ parse_number('score') }} as score,
        coalesce(
            {{ parse_number('scale_min') }},
            case when lower(trim(source.survey_type)) in ('nps', 'enps') then 0 else 1 end
        ) as scale_min,
        coalesce(
            {{ parse_number('scale_max') }},
            case lower(trim(source.survey_type))
                when 'nps' then 10
                when 'enps' then 10
                when 'ces' then 7
                else 5
            end
        ) as scale_max,

        -- timestamps (UTC)
        {{ to_utc_timestamp('responded_at') }} as responded_at,

        -- raw text the checks need
        source.score as score_text,
        source.scale_min as scale_min_text,
        source.scale_max as scale_max_text,

        -- lineage
        source._row_number,
        source._key_rank,
        source._source_file,
        source._loaded_at,
        source as raw_row

    from source

),

checked as (

    select
        *,
        {{ first_failure([
            ('response_id is null', 'missing response_id'),
            (duplicate_key(['response_id']),
                'duplicate response_id'),
            ('survey_type is null', 'unknown or missing survey_type'),
            ('respondent_type is null', 'unknown or missing respondent_type'),
            ('respondent_id is null', 'missing respondent_id'),
            ('responded_at is null', 'missing or unparseable responded_at'),
            ('score is null', 'missing or unparseable score'),
            (is_unparseable('scale_min_text', parse_number('scale_min_text')),
                'unparseable scale_min'),
            (is_unparseable('scale_max_text', parse_number('scale_max_text')),
                'unparseable scale_max'),
            ('scale_max <= scale_min', 'scale_max not above scale_min'),
            ('score < scale_min or score > scale_max', 'score outside its scale'),
        ] + plausibility_checks('landing', 'survey_responses')) }} as quarantine_reason

    from parsed

),

final as (

    select
        response_id,
        survey_type,
        respondent_type,
        respondent_id,
        ticket_id,
        question_id,
        responded_at,
        score,
        scale_min,
        scale_max,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
