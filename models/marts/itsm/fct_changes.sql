{#- one row per usable change (grain: change_id): completed (implemented, not cancelled) and
    successful (outcome successful, and no critical, high or medium incident caused by it created
    within var change_incident_window_days after its implementation). -#}
with

changes as (

    select * from {{ ref('stg_contract__changes') }}
    where quarantine_reason is null

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

caused_incidents as (

    select
        changes.change_id,
        count(*) as caused_incident_count

    from changes

    inner join tickets
        on changes.change_id = tickets.caused_by_change_id

    where
        tickets.ticket_type = 'incident'
        and not tickets.is_excluded
        and tickets.priority in ('critical', 'high', 'medium')
        and tickets.created_at >= changes.implemented_at
        and {{ hours_between('changes.implemented_at', 'tickets.created_at') }}
        <= {{ var('change_incident_window_days') }} * 24

    group by 1

),

final as (

    select
        changes.change_id,
        coalesce(changes.service_id, 'unknown') as service_id,
        changes.change_type,
        changes.outcome,
        changes.requested_at,
        changes.implemented_at,
        {{ to_reporting_date('changes.implemented_at') }} as implemented_date,
        changes.implemented_at is not null and changes.outcome <> 'cancelled' as is_completed,
        coalesce(caused_incidents.caused_incident_count, 0) as caused_incident_count,
        changes.outcome = 'successful'
        and coalesce(caused_incidents.caused_incident_count, 0) = 0 as is_successful

    from changes

    left join caused_incidents
        on changes.change_id = caused_incidents.change_id

)

select * from final
