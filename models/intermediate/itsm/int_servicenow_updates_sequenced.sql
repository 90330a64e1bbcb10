{#- one row per usable ServiceNow incident row (grain: incident_update_id), placed in its
    incident's sequence of updates: by sys_mod_count, then update time (ServiceNow's own order,
    whatever the order of the lines in the file). recency_rank 1 is the incident's current
    state; previous_* are the values of the update before. -#}
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
        row_number() over (
            partition by ticket_id
            order by sys_mod_count, sys_updated_at, _source_file, _row_number
        ) as update_number,
        row_number() over (
            partition by ticket_id
            order by
                sys_mod_count desc nulls last,
                sys_updated_at desc nulls last,
                _source_file desc,
                _row_number desc
        ) as recency_rank,
        lag(status) over (
            partition by ticket_id
            order by sys_mod_count, sys_updated_at, _source_file, _row_number
        ) as previous_status,
        lag(team_id) over (
            partition by ticket_id
            order by sys_mod_count, sys_updated_at, _source_file, _row_number
        ) as previous_team_id

    from updates

)

select * from sequenced
