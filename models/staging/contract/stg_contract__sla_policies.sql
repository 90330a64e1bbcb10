with

source as (

    select
        *,
        {{ key_rank(['policy_id']) }} as _key_rank
    from (
        {{ landing_or_seed('sla_policies', ['policy_id', 'ticket_type', 'priority', 'metric',
            'target_minutes', 'calendar_id', 'pause_statuses', 'valid_from', 'valid_to']) }}
    ) as landed

),

parsed as (

    select
        {{ blank_to_null('policy_id') }} as policy_id,
        {{ parse_enum('ticket_type', ['incident', 'service_request', 'problem', 'question']) }}
            as ticket_type,
        {{ parse_enum('priority', ['critical', 'high', 'medium', 'low'],
            {'p1': 'critical', 'p2': 'high', 'p3': 'medium', 'p4': 'low'}) }} as priority,
        {{ parse_enum('metric', ['first_response', 'resolution']) }} as metric,
        {{ parse_number('target_minutes') }} as target_minutes,
        {{ blank_to_null('calendar_id') }} as calendar_id,
        coalesce(lower({{ blank_to_null('pause_statuses') }}), 'pending') as pause_statuses,
        {{ parse_date('valid_from') }} as valid_from,
        {{ parse_date('valid_to') }} as valid_to,
        source.valid_to as valid_to_text,
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
            ('policy_id is null', 'missing policy_id'),
            (duplicate_key(['policy_id']),
                'duplicate policy_id'),
            ('ticket_type is null', 'unknown or missing ticket_type'),
            ('priority is null', 'unknown or missing priority'),
            ('metric is null', 'unknown or missing metric'),
            ('target_minutes is null or target_minutes <= 0', 'missing or invalid target_minutes'),
            ('calendar_id is null', 'missing calendar_id'),
            ('valid_from is null', 'missing or unparseable valid_from'),
            (is_unparseable('valid_to_text', 'valid_to'), 'unparseable valid_to'),
            ('valid_to < valid_from', 'valid_to before valid_from'),
        ] + plausibility_checks('landing', 'sla_policies')) }} as quarantine_reason

    from parsed

),

final as (

    select
        policy_id,
        ticket_type,
        priority,
        metric,
        target_minutes,
        calendar_id,
        pause_statuses,
        valid_from,
        valid_to,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
