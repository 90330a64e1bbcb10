{#- one row per calendar and opening interval in UTC (grain: calendar_id, opens_at), from
    var calendar_first_date to calendar_last_date, holidays removed, with the business seconds
    of the calendar before the interval opens. Any timestamp is placed on this axis with one
    ASOF join (macro business_position). -#}
with

opening_hours as (

    select * from {{ ref('stg_contract__business_hours') }}
    where quarantine_reason is null

),

holidays as (

    select * from {{ ref('stg_contract__holidays') }}
    where quarantine_reason is null

),

days as (

    select
        cast(unnest({{ day_series(
            "'" ~ var('calendar_first_date') ~ "'", "'" ~ var('calendar_last_date') ~ "'"
        ) }}) as date) as local_date

),

open_days as (

    select
        opening_hours.calendar_id,
        opening_hours.calendar_timezone,
        days.local_date,
        opening_hours.opens_minute,
        opening_hours.closes_minute

    from days

    inner join opening_hours
        on {{ iso_weekday('days.local_date') }} = opening_hours.iso_weekday

    left join holidays
        on
        opening_hours.calendar_id = holidays.calendar_id
        and days.local_date = holidays.holiday_date

    where holidays.holiday_date is null

),

intervals as (

    select
        calendar_id,
        {{ local_minutes_to_utc('local_date', 'opens_minute', 'calendar_timezone') }} as opens_at,
        {{ local_minutes_to_utc('local_date', 'closes_minute', 'calendar_timezone') }}
            as closes_at

    from open_days

),

final as (

    select
        calendar_id,
        opens_at,
        closes_at,
        epoch(closes_at) - epoch(opens_at) as open_seconds,
        coalesce(sum(epoch(closes_at) - epoch(opens_at)) over (
            partition by calendar_id
            order by opens_at
            rows between unbounded preceding and 1 preceding
        ), 0) as seconds_before_open

    from intervals

)

select * from final
