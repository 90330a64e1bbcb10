{#- incremental: a build on top of an earlier one stages only the rows of new deliveries
    (they come after every staged row, so no staged row's checks change; duplicate_key looks
    at the staged rows too) -#}
{{ config(materialized='incremental', incremental_strategy='append') }}

with

source as (

    select
        *,
        {{ key_rank(['event_id']) }} as _key_rank
    from {{ source('landing', 'ticket_events') }}
    {% if incremental_build() %}
        where {{ newly_loaded() }}
    {% endif %}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('event_id') }} as event_id,
        {{ blank_to_null('ticket_id') }} as ticket_id,
        {{ pseudonymize('actor_id') }} as actor_id,

        -- enums
        {{ parse_enum('event_type', ['status_change', 'reply', 'note', 'assignment',
            'escalation', 'priority_change']) }} as event_type,
        {{ parse_enum('actor_type', ['agent', 'requester', 'system']) }} as actor_type,

        -- strings: status and priority values are normalised like the ticket's own
        case
            when lower(source.event_type) = 'status_change'
                then {{ parse_enum('from_value',
                    ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'],
                    {'on-hold': 'on_hold', 'canceled': 'cancelled'}) }}
            else {{ blank_to_null('from_value') }}
        end as from_value,
        case
            when lower(source.event_type) = 'status_change'
                then {{ parse_enum('to_value',
                    ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'],
                    {'on-hold': 'on_hold', 'canceled': 'cancelled'}) }}
            else {{ blank_to_null('to_value') }}
        end as to_value,

        -- booleans: a reply without is_public is public, anything else internal
        coalesce(
            {{ parse_boolean('is_public') }},
            case
                when {{ blank_to_null('is_public') }} is null
                    then lower({{ blank_to_null('event_type') }}) = 'reply'
            end
        ) as is_public,

        -- timestamps (UTC)
        {{ to_utc_timestamp('occurred_at') }} as occurred_at,

        -- raw text the checks need
        source.to_value as to_value_text,

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
            ('event_id is null', 'missing event_id'),
            (duplicate_key(['event_id']),
                'duplicate event_id'),
            ('ticket_id is null', 'missing ticket_id'),
            ('event_type is null', 'unknown or missing event_type'),
            ('actor_type is null', 'unknown or missing actor_type'),
            ('is_public is null', 'unparseable is_public'),
            ('occurred_at is null', 'missing or unparseable occurred_at'),
            ("event_type = 'status_change' and to_value is null",
                'unknown or missing status in to_value'),
        ] + plausibility_checks('landing', 'ticket_events')) }} as quarantine_reason

    from parsed

),

final as (

    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        from_value,
        to_value,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
