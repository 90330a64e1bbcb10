with

source as (

    select
        *,
        {{ key_rank(['calendar_id', 'holiday_date'], {
            'holiday_date': parse_date('holiday_date'),
        }) }} as _key_rank
    from (
        {{ landing_or_seed('holidays', ['calendar_id', 'holiday_date', 'name']) }}
    ) as landed

),

parsed as (

    select
        {{ blank_to_null('calendar_id') }} as calendar_id,
        {{ parse_date('holiday_date') }} as holiday_date,
        {{ blank_to_null('name') }} as holiday_name,
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
            ('calendar_id is null', 'missing calendar_id'),
            ('holiday_date is null', 'missing or unparseable holiday_date'),
            (duplicate_key(['calendar_id', 'holiday_date']),
                'duplicate calendar_id and holiday_date'),
        ]) }} as quarantine_reason

    from parsed

),

final as (

    select
        calendar_id,
        holiday_date,
        holiday_name,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
