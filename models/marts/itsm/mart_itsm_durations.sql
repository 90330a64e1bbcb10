{#- the ITSM family mart for durations (grain: measure × basis × period_grain × period_start ×
    segment_type × segment_value; month and quarter): n, mean, median, p90 and the share within
    the headline KPI's target, in calendar and business hours (problems in calendar days).
    Segments: all, priority, team, channel. One pass with grouping sets, no row explosion. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

cycles as (

    select * from {{ ref('fct_reply_cycles') }}

),

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

measures as (

    select
        'first_response' as measure,
        'business' as basis,
        'first_response/business' as measure_key,
        'itsm_frt' as kpi_id
    union all
    select
        'first_response' as measure,
        'calendar' as basis,
        'first_response/calendar' as measure_key,
        'itsm_frt' as kpi_id
    union all
    select
        'resolution' as measure,
        'calendar' as basis,
        'resolution/calendar' as measure_key,
        'itsm_mttr' as kpi_id
    union all
    select
        'resolution' as measure,
        'business' as basis,
        'resolution/business' as measure_key,
        'itsm_mttr' as kpi_id
    union all
    select
        'net_resolution' as measure,
        'calendar' as basis,
        'net_resolution/calendar' as measure_key,
        'itsm_mttr' as kpi_id
    union all
    select
        'net_resolution' as measure,
        'business' as basis,
        'net_resolution/business' as measure_key,
        'itsm_mttr' as kpi_id
    union all
    select
        'request_fulfilment' as measure,
        'business' as basis,
        'request_fulfilment/business' as measure_key,
        'itsm_request_fulfillment_time' as kpi_id
    union all
    select
        'request_fulfilment' as measure,
        'calendar' as basis,
        'request_fulfilment/calendar' as measure_key,
        'itsm_request_fulfillment_time' as kpi_id
    union all
    select
        'problem_resolution' as measure,
        'calendar_days' as basis,
        'problem_resolution/calendar_days' as measure_key,
        'itsm_problem_resolution_time' as kpi_id

),

bases as (

    select 'business' as basis
    union all
    select 'calendar' as basis

),

ticket_measures as (

    select
        tickets.ticket_id,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        measures.measure,
        measures.basis,
        measures.kpi_id,
        case measures.measure
            when 'first_response' then tickets.first_response_date
            else tickets.last_resolved_date
        end as measured_date,
        case measures.measure_key
            when 'first_response/business' then tickets.first_response_business_hours
            when 'first_response/calendar' then tickets.first_response_calendar_hours
            when 'resolution/calendar' then tickets.resolution_calendar_hours
            when 'resolution/business' then tickets.resolution_business_hours
            when 'net_resolution/calendar' then tickets.net_resolution_calendar_hours
            when 'net_resolution/business' then tickets.net_resolution_business_hours
            when 'request_fulfilment/business' then tickets.resolution_business_hours
            when 'request_fulfilment/calendar' then tickets.resolution_calendar_hours
            when 'problem_resolution/calendar_days' then tickets.resolution_calendar_hours / 24
        end as duration,
        case
            when measures.measure = 'first_response' then tickets.is_response_eligible
            when measures.measure in ('resolution', 'net_resolution')
                then tickets.is_mttr_eligible
            when measures.measure = 'request_fulfilment' then tickets.is_fulfilment_eligible
            when measures.measure = 'problem_resolution'
                then tickets.is_problem_resolution_eligible
        end as is_unit

    from tickets

    cross join measures

),

cycle_measures as (

    select
        tickets.ticket_id,
        tickets.priority,
        tickets.team_id,
        tickets.channel,
        'reply_cycle' as measure,
        bases.basis,
        'itsm_avg_response_time' as kpi_id,
        cycles.responded_date as measured_date,
        case bases.basis
            when 'business' then cycles.response_business_hours
            else cycles.response_calendar_hours
        end as duration,
        tickets.is_response_eligible as is_unit

    from cycles

    inner join tickets
        on cycles.ticket_id = tickets.ticket_id

    cross join bases

),

units as (

    select
        measured.*,
        cast({{ dbt.date_trunc('month', 'measured.measured_date') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'measured.measured_date') }} as date) as quarter_start,
        measured.duration <= catalog.target_value as is_within_target

    from (
        select * from ticket_measures
        union all
        select * from cycle_measures
    ) as measured

    left join catalog
        on measured.kpi_id = catalog.kpi_id

    where measured.is_unit and measured.duration is not null

),

aggregated as (

    select
        measure,
        basis,
        month_start,
        quarter_start,
        priority,
        team_id,
        channel,
        count(*) as n,
        avg(duration) as mean_value,
        {{ median_of('duration') }} as median_value,
        {{ p90_of('duration') }} as p90_value,
        avg(case when is_within_target then 1.0 else 0.0 end) as share_within_target

    from units
    group by grouping sets (  -- noqa: PRS, AM06
        (measure, basis, month_start),
        (measure, basis, month_start, priority),
        (measure, basis, month_start, team_id),
        (measure, basis, month_start, channel),
        (measure, basis, quarter_start),
        (measure, basis, quarter_start, priority),
        (measure, basis, quarter_start, team_id),
        (measure, basis, quarter_start, channel)
    )

),

final as (

    select
        measure,
        basis,
        case when month_start is not null then 'month' else 'quarter' end as period_grain,
        coalesce(month_start, quarter_start) as period_start,
        case
            when priority is not null then 'priority'
            when team_id is not null then 'team'
            when channel is not null then 'channel'
            else 'all'
        end as segment_type,
        coalesce(priority, team_id, channel, 'all') as segment_value,
        n,
        mean_value,
        median_value,
        p90_value,
        share_within_target

    from aggregated

)

select * from final
