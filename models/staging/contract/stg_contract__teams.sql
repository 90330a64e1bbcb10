with

source as (

    select
        *,
        {{ key_rank(['team_id']) }} as _key_rank
    from (
        {{ landing_or_seed('teams', ['team_id', 'team_name', 'function', 'tier']) }}
    ) as landed

),

parsed as (

    select
        {{ blank_to_null('team_id') }} as team_id,
        {{ blank_to_null('team_name') }} as team_name,
        {{ parse_enum('function', ['it', 'hr', 'customer_service']) }} as team_function,
        try_cast({{ parse_number('tier') }} as integer) as tier,
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
            ('team_id is null', 'missing team_id'),
            (duplicate_key(['team_id']),
                'duplicate team_id'),
            ('team_function is null', 'unknown or missing function'),
            ('tier is null or tier < 1', 'missing or invalid tier'),
        ]) }} as quarantine_reason

    from parsed

),

final as (

    select
        team_id,
        team_name,
        team_function,
        tier,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
