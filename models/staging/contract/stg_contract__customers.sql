with

source as (

    select
        *,
        {{ key_rank(['customer_id']) }} as _key_rank
    from {{ source('landing', 'customers') }}

),

parsed as (

    select
        -- ids
        {{ pseudonymize('customer_id') }} as customer_id,

        -- strings
        {{ blank_to_null('segment') }} as segment,
        upper({{ blank_to_null('country') }}) as country,

        -- timestamps (UTC)
        {{ to_utc_timestamp('acquired_at') }} as acquired_at,
        {{ to_utc_timestamp('churned_at') }} as churned_at,

        -- raw text the checks need
        source.churned_at as churned_at_text,

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
            ('customer_id is null', 'missing customer_id'),
            (duplicate_key(['customer_id']),
                'duplicate customer_id'),
            ('acquired_at is null', 'missing or unparseable acquired_at'),
            (is_unparseable('churned_at_text', 'churned_at'), 'unparseable churned_at'),
            ('churned_at < acquired_at', 'churned_at before acquired_at'),
        ] + plausibility_checks('landing', 'customers')) }} as quarantine_reason

    from parsed

),

final as (

    select
        customer_id,
        segment,
        country,
        acquired_at,
        churned_at,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
