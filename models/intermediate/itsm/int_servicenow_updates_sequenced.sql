{#- one row per usable ServiceNow incident row (grain: incident_update_id), placed in its
    incident's sequence of updates: by sys_mod_count, then update time (ServiceNow's own order,
    whatever the order of the lines in the file; ties: the later line). recency_rank 1 is the
    incident's current state; previous_* are the values of the update before. -#}
with

updates as (

    select * from {{ ref('stg_servicenow__incidents') }}
    where quarantine_reason is null

),

sequenced as (

    select
        incident_update_id,
        ticket_id,
        incident_number,
        sys_mod_count,
        status,
        priority,
        channel,
        origin,
        category,
        team_id,
        requester_id,
        assignee_id,
        updated_by_id,
        is_system_update,
        reopen_count,
        reassignment_count,
        made_sla,
        problem_id,
        caused_by_change_id,
        rfc_change_id,
        opened_at,
        sys_updated_at,
        resolved_at,
        closed_at,
        export_shape,
        _row_number,
        _source_file,
        row_number() over updates_in_order as update_number,
        count(*) over (partition by ticket_id) as update_count,
        lag(status) over updates_in_order as previous_status,
        lag(team_id) over updates_in_order as previous_team_id

    from updates

    -- an update without sys_mod_count (a per-incident export may omit it) ranks first
    window updates_in_order as (
        partition by ticket_id
        order by
            sys_mod_count nulls first, sys_updated_at nulls first, _source_file, _row_number
    )

),

final as (

    select
        *,
        -- 1: the incident's current state
        update_count - update_number + 1 as recency_rank

    from sequenced

)

select * from final
