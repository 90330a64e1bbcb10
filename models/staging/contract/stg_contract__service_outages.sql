with

source as (

    select
        *,
        {{ key_rank(['outage_id']) }} as _key_rank
    from {{ source('landing', 'service_outages') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('outage_id') }} as outage_id,
        {{ blank_to_null('service_id') }} as service_id,

        -- booleans
        {{ parse_boolean('is_planned') }} as is_planned,

        -- timestamps (UTC)
        {{ to_utc_timestamp('started_at') }} as started_at,
        {{ to_utc_timestamp('ended_at') }} as ended_at,

        -- raw text the checks need
        source.ended_at as ended_at_text,

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
            ('outage_id is null', 'missing outage_id'),
            (duplicate_key(['outage_id']),
                'duplicate outage_id'),
            ('service_id is null', 'missing service_id'),
            ('is_planned is null', 'missing or unparseable is_planned'),
            ('started_at is null', 'missing or unparseable started_at'),
            (is_unparseable('ended_at_text', 'ended_at'), 'unparseable ended_at'),
            ('ended_at < started_at', 'ended_at before started_at'),
        ] + plausibility_checks('landing', 'service_outages')) }} as quarantine_reason

    from parsed

),

final as (

    select
        outage_id,
        service_id,
        started_at,
        ended_at,
        is_planned,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
