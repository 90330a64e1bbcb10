{#- one row per working day (grain: date_day) from the first to the last day with ticket
    activity: tickets active that day (created, or with an event or a ServiceNow update), and
    the source's own level around it. A run of consecutive empty working days is judged
    against the average of the var plausibility_window_days working days before the run and
    of as many after it; it is implausibly empty only when both reach var
    plausibility_min_daily_tickets. The start, the end and a trickling tail of an export are
    therefore never judged (the ticket_working_days expectation reads is_judged). -#}
{%- set window = var('plausibility_window_days') %}
with

tickets as (

    select * from {{ ref('int_tickets_unioned') }}

),

events as (

    select * from {{ ref('int_ticket_events_unioned') }}

),

servicenow_updates as (

    select * from {{ ref('int_servicenow_updates_sequenced') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

activity as (

    select
        ticket_id,
        {{ to_reporting_date('created_at') }} as activity_date
    from tickets
    union
    select
        ticket_id,
        {{ to_reporting_date('occurred_at') }} as activity_date
    from events
    union
    select
        ticket_id,
        {{ to_reporting_date('sys_updated_at') }} as activity_date
    from servicenow_updates

),

bounds as (

    select
        min(activity_date) as first_date,
        max(activity_date) as last_date
    from activity

),

per_day as (

    select
        activity_date,
        count(distinct ticket_id) as active_ticket_count
    from activity
    group by 1

),

working_days as (

    select
        dates.date_day,
        coalesce(per_day.active_ticket_count, 0) as active_ticket_count,
        row_number() over (order by dates.date_day) as day_number

    from dates

    cross join bounds

    left join per_day
        on dates.date_day = per_day.activity_date

    where
        dates.is_business_day
        and dates.date_day between bounds.first_date and bounds.last_date

),

cumulated as (

    select
        *,
        sum(active_ticket_count) over (order by day_number) as cumulative_count,
        max(day_number) over () as last_day_number,
        -- consecutive empty days share a run; every active day is a run of its own
        case
            when active_ticket_count = 0
                then day_number - row_number() over (
                    partition by active_ticket_count = 0 order by day_number
                )
        end as empty_run

    from working_days

),

runs as (

    select
        *,
        case
            when empty_run is null then day_number
            else min(day_number) over (partition by empty_run)
        end as run_first_number,
        case
            when empty_run is null then day_number
            else max(day_number) over (partition by empty_run)
        end as run_last_number

    from cumulated

),

levels as (

    select
        runs.date_day,
        runs.active_ticket_count,
        runs.run_first_number - 1 >= {{ window }}
        and runs.last_day_number - runs.run_last_number >= {{ window }} as has_full_window,
        (coalesce(before_end.cumulative_count, 0) - coalesce(before_start.cumulative_count, 0))
        / {{ window }} as level_before,
        (coalesce(after_end.cumulative_count, 0) - coalesce(after_start.cumulative_count, 0))
        / {{ window }} as level_after

    from runs

    left join cumulated as before_start
        on runs.run_first_number - {{ window }} - 1 = before_start.day_number

    left join cumulated as before_end
        on runs.run_first_number - 1 = before_end.day_number

    left join cumulated as after_start
        on runs.run_last_number = after_start.day_number

    left join cumulated as after_end
        on runs.run_last_number + {{ window }} = after_end.day_number

),

final as (

    select
        date_day,
        active_ticket_count,
        case when has_full_window then level_before end as level_before,
        case when has_full_window then level_after end as level_after,
        coalesce(
            has_full_window
            and level_before >= {{ var('plausibility_min_daily_tickets') }}
            and level_after >= {{ var('plausibility_min_daily_tickets') }},
            false
        ) as is_judged

    from levels

)

select * from final
