{#- one row per contract source: present or not, its watermark (newest event timestamp for
    event sources, file load time for snapshot sources) and its first event -#}
with

manifest as (

    select * from {{ ref('stg_contract__load_manifest') }}

),

freshness as (

    select * from {{ ref('source_freshness') }}

),

tickets as (

    select * from {{ ref('stg_contract__tickets') }}
    where quarantine_reason is null

),

events as (

    select * from {{ ref('int_ticket_events_checked') }}
    where quarantine_reason is null

),

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where quarantine_reason is null

),

sessions as (

    select * from {{ ref('stg_contract__self_service_sessions') }}
    where quarantine_reason is null

),

usage as (

    select * from {{ ref('stg_contract__service_usage') }}
    where quarantine_reason is null

),

event_extents as (

    select
        'tickets' as source_name,
        min(created_at) as first_event_at,
        max(greatest(
            created_at, coalesce(resolved_at, created_at), coalesce(closed_at, created_at)
        )) as newest_event_at
    from tickets

    union all

    select
        'ticket_events' as source_name,
        min(occurred_at) as first_event_at,
        max(occurred_at) as newest_event_at
    from events

    union all

    select
        'survey_responses' as source_name,
        min(responded_at) as first_event_at,
        max(responded_at) as newest_event_at
    from responses

    union all

    select
        'self_service_sessions' as source_name,
        min(started_at) as first_event_at,
        max(started_at) as newest_event_at
    from sessions

    union all

    -- a usage date covers its whole local day
    select
        'service_usage' as source_name,
        min({{ reporting_midnight_utc('usage_date') }}) as first_event_at,
        max({{ reporting_midnight_utc(dbt.dateadd('day', 1, 'usage_date')) }})
            as newest_event_at
    from usage

),

final as (

    select
        manifest.table_name as source_name,
        manifest.is_present,
        event_extents.first_event_at,
        manifest.loaded_at,
        coalesce(freshness.watermark_kind, 'snapshot') as watermark_kind,
        coalesce(freshness.tolerance_hours, 744) as tolerance_hours,
        case
            when not manifest.is_present then null
            when freshness.watermark_kind = 'event' then event_extents.newest_event_at
            else manifest.loaded_at
        end as watermark_at

    from manifest

    left join freshness
        on manifest.table_name = freshness.source_name

    left join event_extents
        on manifest.table_name = event_extents.source_name

)

select * from final
