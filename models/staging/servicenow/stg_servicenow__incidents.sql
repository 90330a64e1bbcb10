{#- one row per landed row of the ServiceNow incident export (an incident, or one update of it
    in an audit-style log). '?' and '' are NULL; incident_state (text or code, with hold_reason)
    maps onto the canonical statuses; priority '1 - Critical'..'4 - Low' onto critical..low and
    '5 - Planning' onto low; contact_type onto channel and origin; person names hashed; dates in
    the file's detected format. Ticket ids are namespaced 'servicenow:<number>'. -#}
with

source as (

    select * from {{ source('servicenow', 'incident') }}

),

cleaned as (

    select
        {%- for column in ['number', 'incident_state', 'state', 'active', 'reassignment_count',
            'reopen_count', 'sys_mod_count', 'made_sla', 'caller_id', 'opened_by', 'opened_at',
            'sys_created_on', 'sys_created_at', 'sys_updated_by', 'sys_updated_on',
            'sys_updated_at', 'hold_reason', 'contact_type', 'category', 'subcategory', 'impact',
            'urgency', 'priority', 'assignment_group', 'assigned_to', 'knowledge', 'problem_id',
            'rfc', 'caused_by', 'closed_code', 'close_code', 'resolved_by', 'resolved_at',
            'closed_at'] %}
            {{ blank_to_null('source.' ~ column, ['?']) }} as {{ column }},
        {%- endfor %}
        -- the state as words: '6 - Resolved' and 'Resolved' alike; codes stay codes
        lower(regexp_replace(
            {{ blank_to_null('coalesce(source.incident_state, source.state)', ['?']) }},
            '^\s*[0-9]+\s*-\s*', ''
        )) as state_text,
        lower(regexp_replace(
            {{ blank_to_null('source.hold_reason', ['?']) }}, '^\s*[0-9]+\s*-\s*', ''
        )) as hold_reason_text,
        lower({{ blank_to_null('source.contact_type', ['?']) }}) as contact_type_text,
        -- the priority's number ('3 - Moderate', '3'), else its word
        coalesce(
            nullif(regexp_extract(source.priority, '^\s*([1-5])\b', 1), ''),
            {{ blank_to_null('source.priority', ['?']) }}
        ) as priority_key,
        source._date_format,
        source._export_shape,
        source._row_number,
        source._source_file,
        source._loaded_at,
        source as raw_row

    from source

),

parsed as (

    select
        -- ids
        number as incident_number,
        'servicenow:' || number as ticket_id,
        'servicenow:' || problem_id as problem_id,
        caused_by as caused_by_change_id,
        rfc as rfc_change_id,
        assignment_group as team_id,
        {{ pseudonymize('caller_id') }} as requester_id,
        {{ pseudonymize('opened_by') }} as opened_by_id,
        {{ pseudonymize('assigned_to') }} as assignee_id,
        {{ pseudonymize('resolved_by') }} as resolved_by_id,
        {{ pseudonymize('sys_updated_by') }} as updated_by_id,

        -- enums
        case
            -- On Hold: the hold reason decides whether the caller is the one awaited
            when state_text in ('on hold', 'awaiting', '3')
                then case
                    when hold_reason_text in ('awaiting caller', '1') then 'pending'
                    else 'on_hold'
                end
            else {{ parse_enum('state_text',
                ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'],
                {'1': 'new', 'in progress': 'open', 'active': 'open', 'work in progress': 'open',
                 'assigned': 'open', '2': 'open', 'awaiting user info': 'pending',
                 'awaiting caller': 'pending', 'awaiting problem': 'on_hold',
                 'awaiting vendor': 'on_hold', 'awaiting evidence': 'on_hold',
                 'awaiting change': 'on_hold', '6': 'resolved', '7': 'closed',
                 'canceled': 'cancelled', '8': 'cancelled'}) }}
        end as status,
        {{ parse_enum('priority_key', ['critical', 'high', 'medium', 'low'],
            {'1': 'critical', '2': 'high', '3': 'medium', '4': 'low', '5': 'low',
             'moderate': 'medium', 'planning': 'low'}) }} as priority,
        coalesce({{ parse_enum('contact_type_text', ['phone', 'email', 'chat', 'portal'],
            {'ivr': 'phone', 'voice': 'phone', 'e-mail': 'email', 'self-service': 'portal',
             'self service': 'portal', 'self_service': 'portal', 'service portal': 'portal',
             'web': 'portal', 'virtual agent': 'chat', 'virtual_agent': 'chat',
             'walk-in': 'walk_in', 'walk in': 'walk_in', 'walk_in': 'walk_in',
             'walkup': 'walk_in'}) }}, 'other') as channel,
        case
            when contact_type_text in ('monitoring', 'event', 'alert', 'integration')
                then 'monitoring'
            when contact_type_text = 'direct opening' then 'agent'
            else 'requester'
        end as origin,

        -- strings
        category,
        subcategory,
        hold_reason,
        closed_code,
        coalesce(close_code, closed_code) as close_code,
        try_cast(regexp_extract(impact, '^\s*([1-3])', 1) as integer) as impact_level,
        try_cast(regexp_extract(urgency, '^\s*([1-3])', 1) as integer) as urgency_level,

        -- numerics
        {{ parse_whole_number('sys_mod_count') }} as sys_mod_count,
        {{ parse_whole_number('reopen_count') }} as reopen_count,
        {{ parse_whole_number('reassignment_count') }} as reassignment_count,

        -- booleans
        {{ parse_boolean('active') }} as is_active,
        {{ parse_boolean('made_sla') }} as made_sla,
        {{ parse_boolean('knowledge') }} as is_knowledge,
        lower(sys_updated_by) = 'system' as is_system_update,

        -- timestamps (UTC)
        {{ parse_servicenow_timestamp('opened_at') }} as opened_at,
        {{ parse_servicenow_timestamp('coalesce(sys_created_on, sys_created_at)') }}
            as sys_created_at,
        {{ parse_servicenow_timestamp('coalesce(sys_updated_on, sys_updated_at)') }}
            as sys_updated_at,
        {{ parse_servicenow_timestamp('resolved_at') }} as resolved_at,
        {{ parse_servicenow_timestamp('closed_at') }} as closed_at,

        -- raw text the checks need
        state_text,
        priority as priority_text,
        sys_mod_count as sys_mod_count_text,
        reopen_count as reopen_count_text,
        reassignment_count as reassignment_count_text,
        active as active_text,
        made_sla as made_sla_text,
        opened_at as opened_at_text,
        coalesce(sys_created_on, sys_created_at) as sys_created_at_text,
        coalesce(sys_updated_on, sys_updated_at) as sys_updated_at_text,
        resolved_at as resolved_at_text,
        closed_at as closed_at_text,

        -- lineage
        _date_format as date_format,
        _export_shape as export_shape,
        _row_number,
        _source_file,
        _loaded_at,
        raw_row

    from cleaned

),

keyed as (

    select
        *,
        incident_number
        || '#' || coalesce(cast(sys_mod_count as varchar), '')
        || '#' || coalesce(cast(sys_updated_at as varchar), '') as incident_update_id

    from parsed

),

checked as (

    select
        *,
        {{ first_failure([
            ('incident_number is null', 'missing number'),
            ('row_number() over (partition by incident_update_id order by _source_file, '
                ~ '_row_number) > 1', 'duplicate update (number, sys_mod_count, sys_updated)'),
            ('status is null', 'unknown or missing incident_state'),
            ('priority is null', 'unknown or missing priority'),
            (is_unparseable('opened_at_text', 'opened_at'), 'unparseable opened_at'),
            ('coalesce(opened_at, sys_created_at) is null', 'missing opened_at'),
            (is_unparseable('sys_created_at_text', 'sys_created_at'),
                'unparseable sys_created_on'),
            (is_unparseable('sys_updated_at_text', 'sys_updated_at'),
                'unparseable sys_updated_on'),
            (is_unparseable('resolved_at_text', 'resolved_at'), 'unparseable resolved_at'),
            (is_unparseable('closed_at_text', 'closed_at'), 'unparseable closed_at'),
            (is_unparseable('sys_mod_count_text', 'sys_mod_count'), 'unparseable sys_mod_count'),
            (is_unparseable('reopen_count_text', 'reopen_count'), 'unparseable reopen_count'),
            (is_unparseable('reassignment_count_text', 'reassignment_count'),
                'unparseable reassignment_count'),
            (is_unparseable('active_text', 'is_active'), 'unparseable active'),
            (is_unparseable('made_sla_text', 'made_sla'), 'unparseable made_sla'),
            ('resolved_at < coalesce(opened_at, sys_created_at)', 'resolved_at before opened_at'),
            ('closed_at < coalesce(opened_at, sys_created_at)', 'closed_at before opened_at'),
            ("export_shape = 'per_incident' and status in ('resolved', 'closed')"
                ~ ' and coalesce(resolved_at, closed_at) is null',
                'resolved incident without resolved_at'),
        ] + plausibility_checks('servicenow', 'incident')) }} as quarantine_reason

    from keyed

),

final as (

    select
        incident_update_id,
        ticket_id,
        incident_number,
        sys_mod_count,
        status,
        state_text as incident_state,
        hold_reason,
        priority,
        impact_level,
        urgency_level,
        channel,
        origin,
        category,
        subcategory,
        team_id,
        requester_id,
        opened_by_id,
        assignee_id,
        resolved_by_id,
        updated_by_id,
        is_system_update,
        is_active,
        is_knowledge,
        reopen_count,
        reassignment_count,
        made_sla,
        close_code,
        problem_id,
        caused_by_change_id,
        rfc_change_id,
        coalesce(opened_at, sys_created_at) as opened_at,
        sys_created_at,
        sys_updated_at,
        resolved_at,
        closed_at,
        date_format,
        export_shape,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
