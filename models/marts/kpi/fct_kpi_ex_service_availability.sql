{#- ex_service_availability: 1 − unplanned outage minutes within agreed service time / agreed
    minutes. Agreed time is 24x7 (raw contract v1). Overlapping outages of a service are merged
    first, clipped to the period; an ongoing outage ends at the data's end. Segment `all`
    weights services by agreed minutes (total outage ÷ total agreed); segment service is per
    service. n = services. Day to quarter. -#}
with

outages as (

    select * from {{ ref('stg_contract__service_outages') }}
    where quarantine_reason is null and not is_planned

),

services as (

    select * from {{ ref('dim_services') }}
    where not is_unknown_member

),

periods as (

    select * from {{ ref('dim_periods') }}

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

data_end as (

    select max(watermark_at) as data_end_at
    from watermarks
    where is_present and watermark_kind = 'event'

),

ordered as (

    select
        outages.service_id,
        outages.started_at,
        coalesce(outages.ended_at, data_end.data_end_at) as ended_at,
        max(coalesce(outages.ended_at, data_end.data_end_at)) over (
            partition by outages.service_id
            order by outages.started_at
            rows between unbounded preceding and 1 preceding
        ) as previous_end_at

    from outages

    cross join data_end

),

islands as (

    -- a new island starts where an outage begins after every earlier one has ended
    select
        *,
        sum(case when previous_end_at is null or started_at > previous_end_at then 1 else 0 end)
            over (partition by service_id order by started_at rows unbounded preceding)
            as island_number

    from ordered

),

merged as (

    select
        service_id,
        island_number,
        min(started_at) as started_at,
        max(ended_at) as ended_at

    from islands
    group by 1, 2

),

service_periods as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        periods.period_end_at,
        services.service_id

    from periods

    cross join services

),

downtime as (

    select
        service_periods.period_grain,
        service_periods.period_start,
        service_periods.service_id,
        sum(
            epoch(least(merged.ended_at, service_periods.period_end_at))
            - epoch(greatest(merged.started_at, service_periods.period_start_at))
        ) / 60.0 as outage_minutes

    from service_periods

    inner join merged
        on
        service_periods.service_id = merged.service_id
        and service_periods.period_start_at < merged.ended_at
        and service_periods.period_end_at > merged.started_at

    group by 1, 2, 3

),

per_service as (

    select
        service_periods.period_grain,
        service_periods.period_start,
        service_periods.service_id,
        (epoch(service_periods.period_end_at) - epoch(service_periods.period_start_at)) / 60.0
            as agreed_minutes,
        coalesce(downtime.outage_minutes, 0) as outage_minutes

    from service_periods

    left join downtime
        on
        service_periods.period_grain = downtime.period_grain
        and service_periods.period_start = downtime.period_start
        and service_periods.service_id = downtime.service_id

),

segmented as (

    select
        period_grain,
        period_start,
        'all' as segment_type,
        'all' as segment_value,
        sum(outage_minutes) as outage_minutes,
        sum(agreed_minutes) as agreed_minutes,
        count(*) as service_count
    from per_service
    group by 1, 2, 3, 4

    union all

    select
        period_grain,
        period_start,
        'service' as segment_type,
        service_id as segment_value,
        outage_minutes,
        agreed_minutes,
        1 as service_count
    from per_service

),

final as (

    select
        'ex_service_availability' as kpi_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        1 - {{ safe_divide('outage_minutes', 'agreed_minutes') }} as value,
        outage_minutes as numerator,
        agreed_minutes as denominator,
        service_count as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from segmented

)

select * from final
