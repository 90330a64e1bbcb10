{#- one row per source the KPI catalogue can require (grain: source_name): present or not, its
    watermark (newest event timestamp for event sources, file load time for snapshot sources:
    the source registry's meta.watermark) and its first event. Landed tables appear as they
    are, except those that logical_sources() combines: tickets, ticket_events,
    ticket_conversation and contract_tickets are built from their members (contract files and
    ServiceNow exports). ticket_events is absent while contract tickets landed without their
    events: their reopens and SLAs cannot be measured. -#}
with

manifest as (

    select * from {{ ref('stg_contract__load_manifest') }}

),

freshness as (

    -- the source registry's watermark kind and tolerance per landed table
    {{ source_watermark_rules() }}

),

event_extents as (

    -- each event source's first and newest event (the source registry's watermark columns)
    {{ source_event_extents() }}

),

landed as (

    -- one row per landed table (a system's export files count as one table)
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

),

members as (

    {{ logical_source_members() }}

),

combined as (

    select
        members.source_name,
        bool_or(landed.is_present) as is_present,
        min(landed.first_event_at) filter (where landed.is_present) as first_event_at,
        max(landed.loaded_at) as loaded_at,
        min(landed.watermark_kind) as watermark_kind,
        min(landed.tolerance_hours) as tolerance_hours,
        min(landed.watermark_at) filter (where landed.is_present) as watermark_at,
        bool_or(landed.is_present) filter (where landed.source_name = 'tickets')
            as has_contract_tickets,
        bool_or(landed.is_present) filter (where landed.source_name = 'ticket_events')
            as has_contract_events

    from members

    inner join landed
        on members.member_name = landed.source_name

    group by 1

),

final as (

    select * from landed
    where landed.source_name not in (select members.source_name from members)

    union all

    select
        source_name,
        case
            when
                source_name = 'ticket_events'
                and coalesce(has_contract_tickets, false)
                and not coalesce(has_contract_events, false)
                then false
            else is_present
        end as is_present,
        first_event_at,
        loaded_at,
        watermark_kind,
        tolerance_hours,
        watermark_at

    from combined

)

select * from final
