with

source as (

    select
        *,
        {{ key_rank(['agent_id']) }} as _key_rank
    from {{ source('landing', 'agents') }}

),

parsed as (

    select
        {{ pseudonymize('agent_id') }} as agent_id,
        {{ pseudonymize('employee_id') }} as employee_id,
        {{ blank_to_null('team_id') }} as team_id,
        {{ parse_date('active_from') }} as active_from,
        {{ parse_date('active_to') }} as active_to,
        source.active_to as active_to_text,
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
            ('agent_id is null', 'missing agent_id'),
            (duplicate_key(['agent_id']),
                'duplicate agent_id'),
            ('team_id is null', 'missing team_id'),
            ('active_from is null', 'missing or unparseable active_from'),
            (is_unparseable('active_to_text', 'active_to'), 'unparseable active_to'),
            ('active_to < active_from', 'active_to before active_from'),
        ]) }} as quarantine_reason

    from parsed

),

final as (

    select
        agent_id,
        employee_id,
        team_id,
        active_from,
        active_to,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
