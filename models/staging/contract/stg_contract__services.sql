with

source as (

    select
        *,
        {{ key_rank(['service_id']) }} as _key_rank
    from {{ source('landing', 'services') }}

),

parsed as (

    select
        {{ blank_to_null('service_id') }} as service_id,
        {{ blank_to_null('service_name') }} as service_name,
        {{ parse_enum('audience', ['employee', 'customer']) }} as audience,
        {{ parse_enum('criticality', ['low', 'medium', 'high', 'critical']) }} as criticality,
        source.criticality as criticality_text,
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
            ('service_id is null', 'missing service_id'),
            (duplicate_key(['service_id']),
                'duplicate service_id'),
            ('audience is null', 'unknown or missing audience'),
            (is_unparseable('criticality_text', 'criticality'), 'unknown criticality'),
        ]) }} as quarantine_reason

    from parsed

),

final as (

    select
        service_id,
        service_name,
        audience,
        criticality,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
