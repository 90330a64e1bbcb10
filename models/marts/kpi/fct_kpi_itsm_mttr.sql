{#- itsm_mttr per period_grain × period_start × segment: mean calendar hours from creation to
    the last resolution over incidents resolved in the period (current status resolved or
    closed; spam, merged and cancelled excluded), attributed to the period of the last
    resolution. No value where no incident was resolved. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

resolved_incidents as (

    select * from tickets
    where
        ticket_type = 'incident'
        and is_resolved
        and not is_excluded

),

measured as (

    {{ expand_periods_and_segments('resolved_incidents', 'last_resolved_date', {
        'priority': 'priority',
        'team': 'team_id',
        'channel': 'channel',
        'requester_type': 'requester_type',
        'category': 'category',
        'service': 'service_id',
    }) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as resolved_incident_count,
        sum(resolution_calendar_hours) as resolution_calendar_hours_sum

    from measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'measured') }}

),

final as (

    select
        'itsm_mttr' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        {{ safe_divide('aggregated.resolution_calendar_hours_sum',
            'aggregated.resolved_incident_count') }} as value,
        aggregated.resolution_calendar_hours_sum as numerator,
        cast(coalesce(aggregated.resolved_incident_count, 0) as double) as denominator,
        coalesce(aggregated.resolved_incident_count, 0) as n,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high

    from spine

    left join aggregated
        on
        spine.period_grain = aggregated.period_grain
        and spine.period_start = aggregated.period_start
        and spine.segment_type = aggregated.segment_type
        and spine.segment_value = aggregated.segment_value

)

select * from final
