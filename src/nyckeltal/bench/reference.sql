-- The benchmark's hand-written reference: the month-grain ITSM duration and rate KPIs computed
-- straight from the landing files in one DuckDB script, with no staging, checks or
-- publication.  It is the floor the pipeline is measured against (pipeline / reference), not
-- a second implementation to publish.  Read from Python with {tickets} and {events} filled in.
set TimeZone = 'Europe/Stockholm';

create temp table ref_tickets as
select
    ticket_id,
    lower(trim(ticket_type)) as ticket_type,
    lower(trim(status)) as status,
    lower(trim(channel)) as channel,
    coalesce(nullif(lower(trim(origin)), ''), 'requester') as origin,
    cast(created_at as timestamptz) as created_at,
    coalesce(
        cast(nullif(trim(resolved_at), '') as timestamptz),
        cast(nullif(trim(closed_at), '') as timestamptz)
    ) as raw_last_resolved_at,
    nullif(trim(followup_of_ticket_id), '') as followup_of_ticket_id,
    coalesce(lower(trim(is_spam)) in ('true', '1', 'yes', 'ja'), false)
    or coalesce(trim(merged_into_ticket_id), '') <> ''
    or lower(trim(status)) = 'cancelled' as is_excluded
from read_csv({tickets}, all_varchar = true, header = true);

create temp table ref_events as
select
    ticket_id,
    event_id,
    cast(occurred_at as timestamptz) as occurred_at,
    lower(trim(event_type)) as event_type,
    lower(trim(actor_type)) as actor_type,
    case
        when coalesce(trim(is_public), '') = '' then lower(trim(event_type)) = 'reply'
        else lower(trim(is_public)) in ('true', '1', 'yes', 'ja')
    end as is_public,
    nullif(lower(trim(from_value)), '') as from_value,
    nullif(lower(trim(to_value)), '') as to_value
from read_csv({events}, all_varchar = true, header = true);

-- the instant of each resolution (a status change into resolved or closed from another state)
alter table ref_events add column resolved_at timestamptz;
update ref_events set resolved_at = occurred_at
where
    event_type = 'status_change'
    and to_value in ('resolved', 'closed')
    and coalesce(from_value, '') not in ('resolved', 'closed');

-- business seconds of the default calendar: seconds open before each local day, plus the
-- open part of the day up to the instant
create temp table ref_days as
with days as (
    select cast(day as date) as local_date
    from range(date '2014-01-01', date '2037-01-01', interval 1 day) as t (day)
),

open_days as (
    select
        days.local_date,
        cast(days.local_date + cast(hours.opens_at as time) as timestamptz) as opens_at,
        cast(days.local_date + cast(hours.closes_at as time) as timestamptz) as closes_at
    from days
    inner join read_csv({business_hours}, all_varchar = true, header = true) as hours
        on
            hours.calendar_id = 'default'
            and cast(hours.weekday as integer) = isodow(days.local_date)
    where days.local_date not in (
        select cast(holiday_date as date)
        from read_csv({holidays}, all_varchar = true, header = true)
        where calendar_id = 'default'
    )
)

select
    days.local_date,
    open_days.opens_at,
    coalesce(epoch(open_days.closes_at) - epoch(open_days.opens_at), 0) as open_seconds,
    coalesce(sum(epoch(open_days.closes_at) - epoch(open_days.opens_at)) over (
        order by days.local_date rows between unbounded preceding and 1 preceding
    ), 0) as seconds_before
from days
left join open_days on days.local_date = open_days.local_date;

create temp table ref_facts as
with resolutions as (
    select
        ticket_id,
        min(resolved_at) as first_resolved_at
    from ref_events
    group by ticket_id
),

responses as (
    select
        ref_events.ticket_id,
        min(ref_events.occurred_at) as first_response_at
    from ref_events
    inner join ref_tickets on ref_events.ticket_id = ref_tickets.ticket_id
    where
        ref_events.event_type = 'reply'
        and ref_events.actor_type = 'agent'
        and ref_events.is_public
        and ref_events.occurred_at >= ref_tickets.created_at
    group by ref_events.ticket_id
),

ordered as (
    select
        ticket_id,
        occurred_at,
        event_type = 'status_change'
        and from_value in ('resolved', 'closed')
        and to_value in ('new', 'open', 'pending', 'on_hold') as is_reopen,
        last_value(
            resolved_at ignore nulls
        ) over (
            partition by ticket_id order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as previous_resolution_at,
        first_value(
            resolved_at ignore nulls
        ) over (
            partition by ticket_id order by occurred_at, event_id
            rows between 1 following and unbounded following
        ) as next_resolution_at,
        first_value(
            case
                when event_type = 'reply' and actor_type = 'agent' and is_public
                    then occurred_at
            end ignore nulls
        ) over (
            partition by ticket_id order by occurred_at, event_id
            rows between 1 following and unbounded following
        ) as next_response_at
    from ref_events
),

reopened_by_event as (
    select distinct ticket_id
    from ordered
    where
        is_reopen
        and previous_resolution_at is not null
        and next_response_at is not null
        and (next_resolution_at is null or next_response_at < next_resolution_at)
        and occurred_at - previous_resolution_at <= interval 7 day
)

select
    tickets.ticket_id,
    tickets.ticket_type,
    tickets.is_excluded,
    tickets.created_at,
    responses.first_response_at,
    case when tickets.status in ('resolved', 'closed') then tickets.raw_last_resolved_at end
        as last_resolved_at,
    coalesce(
        resolutions.first_resolved_at,
        case when tickets.status in ('resolved', 'closed') then tickets.raw_last_resolved_at end
    ) as first_resolved_at,
    not tickets.is_excluded
    and tickets.ticket_type <> 'problem'
    and tickets.origin = 'requester'
    and tickets.channel not in ('phone', 'walk_in') as is_response_eligible,
    reopened_by_event.ticket_id is not null as is_reopened_by_event,
    tickets.raw_last_resolved_at
from ref_tickets as tickets
left join resolutions on tickets.ticket_id = resolutions.ticket_id
left join responses on tickets.ticket_id = responses.ticket_id
left join reopened_by_event on tickets.ticket_id = reopened_by_event.ticket_id;

create temp table ref_kpis as
with followups as (
    select distinct originals.ticket_id
    from ref_facts as originals
    inner join ref_tickets as followup on originals.ticket_id = followup.followup_of_ticket_id
    where
        followup.created_at > originals.first_resolved_at
        and followup.created_at - originals.raw_last_resolved_at <= interval 7 day
),

mttr as (
    select
        'itsm_mttr' as kpi_id,
        date_trunc('month', cast(last_resolved_at as date)) as period_start,
        count(*) as n,
        avg((epoch(last_resolved_at) - epoch(created_at)) / 3600) as value,
        null::double as median
    from ref_facts
    where ticket_type = 'incident' and not is_excluded and last_resolved_at is not null
    group by all
),

reopen as (
    select
        'itsm_reopen_rate' as kpi_id,
        date_trunc('month', cast(ref_facts.first_resolved_at as date)) as period_start,
        count(*) as n,
        avg(
            case
                when ref_facts.is_reopened_by_event or followups.ticket_id is not null then 1.0
                else 0.0
            end
        ) as value,
        null::double as median
    from ref_facts
    left join followups on ref_facts.ticket_id = followups.ticket_id
    where
        ref_facts.ticket_type = 'incident'
        and not ref_facts.is_excluded
        and ref_facts.first_resolved_at is not null
    group by all
),

response_hours as (
    select
        facts.first_response_at,
        greatest(
            (
                response_day.seconds_before
                + least(greatest(
                    epoch(facts.first_response_at) - epoch(response_day.opens_at), 0
                ), response_day.open_seconds)
            )
            - (
                created_day.seconds_before
                + least(greatest(
                    epoch(facts.created_at) - epoch(created_day.opens_at), 0
                ), created_day.open_seconds)
            ),
            0
        ) / 3600 as business_hours
    from ref_facts as facts
    inner join ref_days as created_day on cast(facts.created_at as date) = created_day.local_date
    inner join ref_days as response_day
        on cast(facts.first_response_at as date) = response_day.local_date
    where facts.is_response_eligible and facts.first_response_at is not null
),

frt as (
    select
        'itsm_frt' as kpi_id,
        date_trunc('month', cast(first_response_at as date)) as period_start,
        count(*) as n,
        avg(business_hours) as value,
        median(business_hours) as median
    from response_hours
    group by all
)

select * from mttr
union all
select * from reopen
union all
select * from frt;
