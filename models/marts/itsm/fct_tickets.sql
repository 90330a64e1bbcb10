{#- one row per ticket that passed staging, with its exclusion flags and resolution measures -#}
with

tickets as (

    select * from {{ ref('stg_contract__tickets') }}
    where quarantine_reason is null

),

teams as (

    select * from {{ ref('dim_teams') }}
    where not is_unknown_member

),

flagged as (

    select
        tickets.ticket_id,
        tickets.source_system,
        tickets.ticket_type,
        tickets.requester_type,
        tickets.requester_id,
        tickets.channel,
        tickets.priority,
        coalesce(tickets.category, 'unknown') as category,
        coalesce(tickets.service_id, 'unknown') as service_id,
        coalesce(teams.team_id, 'unknown') as team_id,
        tickets.team_id is not null and teams.team_id is null as has_unknown_team,
        tickets.assignee_id,
        tickets.status,
        tickets.origin,
        tickets.is_spam,
        tickets.merged_into_ticket_id is not null as is_merged,
        tickets.status = 'cancelled' as is_cancelled,
        tickets.is_spam
        or tickets.merged_into_ticket_id is not null
        or tickets.status = 'cancelled' as is_excluded,
        tickets.status in ('resolved', 'closed') as is_resolved,
        tickets.created_at,
        -- the latest resolution; a ticket reopened and still open has none
        case
            when tickets.status in ('resolved', 'closed')
                then coalesce(tickets.resolved_at, tickets.closed_at)
        end as last_resolved_at,
        tickets.closed_at,
        tickets.problem_id,
        tickets.caused_by_change_id,
        tickets.merged_into_ticket_id,
        tickets.followup_of_ticket_id

    from tickets

    left join teams
        on tickets.team_id = teams.team_id

),

final as (

    select
        *,
        {{ hours_between('created_at', 'last_resolved_at') }} as resolution_calendar_hours,
        {{ to_reporting_date('created_at') }} as created_date,
        {{ to_reporting_date('last_resolved_at') }} as last_resolved_date

    from flagged

)

select * from final
