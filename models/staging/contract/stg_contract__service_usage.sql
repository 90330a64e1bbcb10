with

source as (

    select
        *,
        {{ key_rank(['usage_date', 'service_id', 'user_type', 'user_id'], {
            'usage_date': parse_date('usage_date'),
            'user_type': parse_enum('user_type', ['employee', 'customer']),
        }) }} as _key_rank
    from {{ source('landing', 'service_usage') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('service_id') }} as service_id,
        {{ pseudonymize('user_id') }} as user_id,

        -- enums
        {{ parse_enum('user_type', ['employee', 'customer']) }} as user_type,

        -- numerics
        {{ parse_number('sessions') }} as session_count,

        -- dates
        {{ parse_date('usage_date') }} as usage_date,

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
            ('usage_date is null', 'missing or unparseable usage_date'),
            ('service_id is null', 'missing service_id'),
            ('user_type is null', 'unknown or missing user_type'),
            ('user_id is null', 'missing user_id'),
            (duplicate_key(['usage_date', 'service_id', 'user_type', 'user_id']),
                'duplicate usage row'),
            ('session_count is null', 'missing or unparseable sessions'),
            ('session_count < 1 or session_count <> floor(session_count)',
                'sessions not a whole number of at least 1'),
        ] + plausibility_checks('landing', 'service_usage')) }} as quarantine_reason

    from parsed

),

final as (

    select
        usage_date,
        service_id,
        user_type,
        user_id,
        cast(session_count as integer) as session_count,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
