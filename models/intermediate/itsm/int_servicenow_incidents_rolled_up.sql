{#- one row per ServiceNow incident (grain: ticket_id) in the shape of the ticket contract: the
    current state is the update with the highest sys_mod_count (ties: the latest update). The
    export's own results are kept as the truth (reopen_count, reassignment_count, made_sla);
    an audit log without those columns gives them from its status and group changes. -#}
with

updates as (

    select * from {{ ref('int_servicenow_updates_sequenced') }}

),

history as (

    select
        ticket_id,
        bool_or(export_shape = 'audit_log') as has_status_history,
        count(*) filter (
            where previous_status in ('resolved', 'closed')
            and status in ('new', 'open', 'pending', 'on_hold')
        ) as derived_reopen_count,
        count(*) filter (
            where previous_team_id is not null and team_id <> previous_team_id
        ) as derived_reassignment_count,
        -- the update that began the current resolution (imputed_resolved_at, quality only)
        max(sys_updated_at) filter (
            where status in ('resolved', 'closed')
            and coalesce(previous_status, 'new') not in ('resolved', 'closed')
        ) as resolution_update_at

    from updates
    group by 1

),

current_state as (

    select * from updates
    where recency_rank = 1

),

final as (

    select
        current_state.ticket_id,
        current_state.incident_number as source_ticket_id,
        'servicenow' as source_system,
        'incident' as ticket_type,
        'employee' as requester_type,
        current_state.requester_id,
        current_state.channel,
        current_state.priority,
        current_state.category,
        cast(null as varchar) as service_id,
        current_state.team_id,
        current_state.assignee_id,
        current_state.status,
        current_state.origin,
        false as is_spam,
        current_state.opened_at as created_at,
        -- as ServiceNow's reports count: resolved_at only, never filled in
        current_state.resolved_at,
        current_state.closed_at,
        current_state.problem_id,
        current_state.caused_by_change_id,
        cast(null as varchar) as merged_into_ticket_id,
        cast(null as varchar) as followup_of_ticket_id,
        current_state.rfc_change_id,
        false as has_conversation,
        history.has_status_history,
        true as reports_own_outcomes,
        coalesce(
            current_state.reopen_count,
            case when history.has_status_history then history.derived_reopen_count end
        ) as source_reopen_count,
        coalesce(
            current_state.reassignment_count,
            case when history.has_status_history then history.derived_reassignment_count end
        ) as source_reassignment_count,
        current_state.made_sla as source_made_sla,
        current_state.update_count,
        -- a closed incident without resolved_at: what the resolving update (else closed_at)
        -- suggests, for the quality summary only; no headline reads it
        case
            when
                current_state.status in ('resolved', 'closed')
                and current_state.resolved_at is null
                then coalesce(history.resolution_update_at, current_state.closed_at)
        end as imputed_resolved_at

    from current_state

    inner join history
        on current_state.ticket_id = history.ticket_id

)

select * from final
