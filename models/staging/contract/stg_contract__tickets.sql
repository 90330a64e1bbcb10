{#- incremental: a build on top of an earlier one stages only the rows of new deliveries
    (they come after every staged row, so no staged row's checks change; duplicate_key looks
    at the staged rows too) -#}
{{ config(materialized='incremental', incremental_strategy='append') }}

with

source as (

    select
        *,
        {{ key_rank(['ticket_id']) }} as _key_rank
    from {{ source('landing', 'tickets') }}
    {% if incremental_build() %}
        where {{ newly_loaded() }}
    {% endif %}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('ticket_id') }} as ticket_id,
        {{ pseudonymize('requester_id') }} as requester_id,
        {{ blank_to_null('service_id') }} as service_id,
        {{ blank_to_null('team_id') }} as team_id,
        {{ pseudonymize('assignee_id') }} as assignee_id,
        {{ blank_to_null('problem_id') }} as problem_id,
        {{ blank_to_null('caused_by_change_id') }} as caused_by_change_id,
        {{ blank_to_null('merged_into_ticket_id') }} as merged_into_ticket_id,
        {{ blank_to_null('followup_of_ticket_id') }} as followup_of_ticket_id,
        'contract' as source_system,

        -- enums
        {{ parse_enum('ticket_type', ['incident', 'service_request', 'problem', 'question']) }}
            as ticket_type,
        {{ parse_enum('requester_type', ['employee', 'customer']) }} as requester_type,
        {{ parse_enum('channel', ['phone', 'email', 'chat', 'portal', 'walk_in', 'self_service'],
            {'walk-in': 'walk_in', 'self-service': 'self_service'}) }} as channel,
        {{ parse_enum('priority', ['critical', 'high', 'medium', 'low'],
            {'p1': 'critical', 'p2': 'high', 'p3': 'medium', 'p4': 'low'}) }} as priority,
        {{ parse_enum('status',
            ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'],
            {'on-hold': 'on_hold', 'canceled': 'cancelled'}) }} as status,
        coalesce({{ parse_enum('origin', ['requester', 'agent', 'monitoring']) }}, case
            when {{ blank_to_null('origin') }} is null then 'requester'
        end) as origin,

        -- strings
        {{ blank_to_null('category') }} as category,

        -- booleans
        {{ parse_boolean('is_spam', 'false') }} as is_spam,

        -- timestamps (UTC)
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('resolved_at') }} as resolved_at,
        {{ to_utc_timestamp('closed_at') }} as closed_at,

        -- raw text the checks need
        source.ticket_type as ticket_type_text,
        source.requester_type as requester_type_text,
        source.channel as channel_text,
        source.priority as priority_text,
        source.status as status_text,
        source.origin as origin_text,
        source.is_spam as is_spam_text,
        source.created_at as created_at_text,
        source.resolved_at as resolved_at_text,
        source.closed_at as closed_at_text,

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
            ('ticket_id is null', 'missing ticket_id'),
            ("ticket_id like 'servicenow:%'", 'ticket_id uses the reserved prefix servicenow:'),
            (duplicate_key(['ticket_id']),
                'duplicate ticket_id'),
            ('ticket_type is null', 'unknown or missing ticket_type'),
            ('requester_type is null', 'unknown or missing requester_type'),
            ('channel is null', 'unknown or missing channel'),
            ('priority is null', 'unknown or missing priority'),
            ('status is null', 'unknown or missing status'),
            ('origin is null', 'unknown origin'),
            ('is_spam is null', 'unparseable is_spam'),
            ('created_at is null', 'missing or unparseable created_at'),
            (is_unparseable('resolved_at_text', 'resolved_at'), 'unparseable resolved_at'),
            (is_unparseable('closed_at_text', 'closed_at'), 'unparseable closed_at'),
            ('resolved_at < created_at', 'resolved_at before created_at'),
            ('closed_at < created_at', 'closed_at before created_at'),
            ("status in ('resolved', 'closed') and coalesce(resolved_at, closed_at) is null",
                'resolved ticket without resolved_at'),
        ] + plausibility_checks('landing', 'tickets')) }} as quarantine_reason

    from parsed

),

final as (

    select
        ticket_id,
        source_system,
        ticket_type,
        requester_type,
        requester_id,
        channel,
        priority,
        category,
        service_id,
        team_id,
        assignee_id,
        status,
        origin,
        is_spam,
        created_at,
        resolved_at,
        closed_at,
        problem_id,
        caused_by_change_id,
        merged_into_ticket_id,
        followup_of_ticket_id,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
