with

source as (

    select
        *,
        {{ key_rank(['session_id']) }} as _key_rank
    from {{ source('landing', 'self_service_sessions') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('session_id') }} as session_id,
        {{ pseudonymize('requester_id') }} as requester_id,
        {{ blank_to_null('article_id') }} as article_id,

        -- enums
        {{ parse_enum('requester_type', ['employee', 'customer']) }} as requester_type,
        coalesce(
            {{ parse_enum('feedback', ['solved', 'not_solved', 'none'],
                {'not solved': 'not_solved'}) }},
            case when {{ blank_to_null('feedback') }} is null then 'none' end
        ) as feedback,

        -- timestamps (UTC)
        {{ to_utc_timestamp('started_at') }} as started_at,

        -- raw text the checks need
        source.requester_type as requester_type_text,

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
            ('session_id is null', 'missing session_id'),
            (duplicate_key(['session_id']),
                'duplicate session_id'),
            (is_unparseable('requester_type_text', 'requester_type'), 'unknown requester_type'),
            ('feedback is null', 'unknown feedback'),
            ('started_at is null', 'missing or unparseable started_at'),
        ] + plausibility_checks('landing', 'self_service_sessions')) }} as quarantine_reason

    from parsed

),

final as (

    select
        session_id,
        requester_type,
        requester_id,
        started_at,
        article_id,
        feedback,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
