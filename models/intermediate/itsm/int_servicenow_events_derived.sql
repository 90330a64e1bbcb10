{#- one row per status or assignment-group change that a ServiceNow audit log shows (grain:
    event_id), in the shape of the ticket events contract, so status intervals and net
    resolution time work as for any ticket. A per-incident export has no history and gives no
    events. A change is dated by the update that made it. -#}
with

updates as (

    select * from {{ ref('int_servicenow_updates_sequenced') }}
    where export_shape = 'audit_log' and sys_updated_at is not null

),

status_changes as (

    select
        ticket_id || '#' || cast(update_number as varchar) || '#status' as event_id,
        ticket_id,
        sys_updated_at as occurred_at,
        'status_change' as event_type,
        case when is_system_update then 'system' else 'agent' end as actor_type,
        updated_by_id as actor_id,
        false as is_public,
        coalesce(previous_status, 'new') as from_value,
        status as to_value

    from updates
    where status <> coalesce(previous_status, 'new')

),

assignments as (

    select
        ticket_id || '#' || cast(update_number as varchar) || '#assignment' as event_id,
        ticket_id,
        sys_updated_at as occurred_at,
        'assignment' as event_type,
        case when is_system_update then 'system' else 'agent' end as actor_type,
        updated_by_id as actor_id,
        false as is_public,
        previous_team_id as from_value,
        team_id as to_value

    from updates
    where previous_team_id is not null and team_id <> previous_team_id

),

unioned as (

    select * from status_changes
    union all
    select * from assignments

)

select * from unioned
