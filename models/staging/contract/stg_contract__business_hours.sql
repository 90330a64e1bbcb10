with

source as (

    {{ landing_or_seed('business_hours',
        ['calendar_id', 'timezone', 'weekday', 'opens_at', 'closes_at']) }}

),

parsed as (

    select
        {{ blank_to_null('calendar_id') }} as calendar_id,
        {{ blank_to_null('timezone') }} as calendar_timezone,
        try_cast({{ blank_to_null('weekday') }} as integer) as iso_weekday,
        try_cast(split_part(trim(opens_at), ':', 1) as integer) * 60
        + try_cast(split_part(trim(opens_at), ':', 2) as integer) as opens_minute,
        try_cast(split_part(trim(closes_at), ':', 1) as integer) * 60
        + try_cast(split_part(trim(closes_at), ':', 2) as integer) as closes_minute,
        source._row_number,
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
            ('calendar_timezone is null', 'missing timezone'),
            ('iso_weekday is null or iso_weekday not between 1 and 7',
                'weekday not between 1 and 7'),
            ('opens_minute is null or opens_minute not between 0 and 1440',
                'unparseable opens_at'),
            ('closes_minute is null or closes_minute not between 0 and 1440',
                'unparseable closes_at'),
            ('closes_minute <= opens_minute', 'closes_at not after opens_at'),
        ]) }} as quarantine_reason

    from parsed

),

final as (

    select
        calendar_id,
        calendar_timezone,
        iso_weekday,
        opens_minute,
        closes_minute,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
