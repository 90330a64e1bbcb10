with

source as (

    select
        *,
        {{ key_rank(['change_id']) }} as _key_rank
    from {{ source('landing', 'changes') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('change_id') }} as change_id,
        {{ blank_to_null('service_id') }} as service_id,

        -- enums
        {{ parse_enum('change_type', ['standard', 'normal', 'emergency']) }} as change_type,
        {{ parse_enum('outcome', ['successful', 'failed', 'rolled_back', 'cancelled'],
            {'rolled back': 'rolled_back', 'canceled': 'cancelled'}) }} as outcome,

        -- timestamps (UTC)
        {{ to_utc_timestamp('requested_at') }} as requested_at,
        {{ to_utc_timestamp('implemented_at') }} as implemented_at,

        -- raw text the checks need
        source.implemented_at as implemented_at_text,

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
            ('change_id is null', 'missing change_id'),
            (duplicate_key(['change_id']),
                'duplicate change_id'),
            ('change_type is null', 'unknown or missing change_type'),
            ('outcome is null', 'unknown or missing outcome'),
            ('requested_at is null', 'missing or unparseable requested_at'),
            (is_unparseable('implemented_at_text', 'implemented_at'),
                'unparseable implemented_at'),
            ('implemented_at < requested_at', 'implemented_at before requested_at'),
        ] + plausibility_checks('landing', 'changes')) }} as quarantine_reason

    from parsed

),

final as (

    select
        change_id,
        service_id,
        change_type,
        requested_at,
        implemented_at,
        outcome,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
