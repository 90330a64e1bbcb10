{#- one row per usable ticket (grain: ticket_id): its milestones placed on the default
    calendar, and the durations every ticket KPI reads, in calendar and business seconds.
    Net resolution counts only the time in new, open and on_hold up to the last resolution
    (pending waits on the requester; time between a resolution and a reopen is not counted);
    a ticket without any status change has net = gross; a ticket whose source keeps no status
    history (a per-incident ServiceNow export) has no net time. -#}
{#- incremental by ticket: a build on top of an earlier one recomputes the touched tickets -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_touched_tickets() }}",
) }}

with

tickets as (

    select * from {{ ref('int_tickets_unioned') }}
    where {{ touched_tickets() }}

),

milestones as (

    select * from {{ ref('int_ticket_milestones') }}

),

status_intervals as (

    select * from {{ ref('int_ticket_status_intervals') }}
    where calendar_id = 'default' and {{ touched_tickets() }}

),

instant_kinds as (

    select 'created' as instant_kind
    union all
    select 'first_response' as instant_kind
    union all
    select 'first_resolved' as instant_kind
    union all
    select 'last_resolved' as instant_kind

),

instants as (

    select
        tickets.ticket_id,
        'default' as calendar_id,
        instant_kinds.instant_kind,
        case instant_kinds.instant_kind
            when 'created' then tickets.created_at
            when 'first_response' then milestones.first_response_at
            when 'first_resolved' then milestones.first_resolved_at
            when 'last_resolved' then milestones.last_resolved_at
        end as instant_at

    from tickets

    inner join milestones
        on tickets.ticket_id = milestones.ticket_id

    cross join instant_kinds

),

positioned as (

    {{ business_position('instants', 'instant_at', 'calendar_id', 'business_position') }}

),

pivoted as (

    select
        ticket_id,
        max(case when instant_kind = 'created' then business_position end) as created_position,
        max(case when instant_kind = 'first_response' then business_position end)
            as first_response_position,
        max(case when instant_kind = 'first_resolved' then business_position end)
            as first_resolved_position,
        max(case when instant_kind = 'last_resolved' then instant_at end) as last_resolved_at,
        max(case when instant_kind = 'last_resolved' then business_position end)
            as last_resolved_position

    from positioned
    group by 1

),

net_time as (

    select
        status_intervals.ticket_id,
        count(*) > 1 as has_status_history,
        sum(status_intervals.business_seconds) filter (
            where status_intervals.status in ('new', 'open', 'on_hold')
            and status_intervals.ended_at <= pivoted.last_resolved_at
        ) as net_business_seconds,
        sum(status_intervals.calendar_seconds) filter (
            where status_intervals.status in ('new', 'open', 'on_hold')
            and status_intervals.ended_at <= pivoted.last_resolved_at
        ) as net_calendar_seconds

    from status_intervals

    inner join pivoted
        on status_intervals.ticket_id = pivoted.ticket_id

    group by 1

),

final as (

    select
        tickets.ticket_id,
        pivoted.first_response_position - pivoted.created_position
            as first_response_business_seconds,
        epoch(milestones.first_response_at) - epoch(tickets.created_at)
            as first_response_calendar_seconds,
        pivoted.first_resolved_position - pivoted.created_position
            as first_resolution_business_seconds,
        epoch(milestones.first_resolved_at) - epoch(tickets.created_at)
            as first_resolution_calendar_seconds,
        pivoted.last_resolved_position - pivoted.created_position
            as resolution_business_seconds,
        epoch(pivoted.last_resolved_at) - epoch(tickets.created_at)
            as resolution_calendar_seconds,
        case
            when pivoted.last_resolved_at is null or not tickets.has_status_history then null
            when net_time.has_status_history then coalesce(net_time.net_business_seconds, 0)
            else pivoted.last_resolved_position - pivoted.created_position
        end as net_resolution_business_seconds,
        case
            when pivoted.last_resolved_at is null or not tickets.has_status_history then null
            when net_time.has_status_history then coalesce(net_time.net_calendar_seconds, 0)
            else epoch(pivoted.last_resolved_at) - epoch(tickets.created_at)
        end as net_resolution_calendar_seconds

    from tickets

    inner join milestones
        on tickets.ticket_id = milestones.ticket_id

    inner join pivoted
        on tickets.ticket_id = pivoted.ticket_id

    left join net_time
        on tickets.ticket_id = net_time.ticket_id

)

select * from final
