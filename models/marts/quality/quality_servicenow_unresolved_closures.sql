{#- ServiceNow incidents resolved or closed without resolved_at, per reporting-time-zone month
    of their closure (closed_at, else the update that closed them) (grain: period_start). They
    are in no resolution headline (MTTR, reopen rate, SLA compliance), as in ServiceNow's own
    reports; `nyckeltal status` lists them. The mean hours to the imputed resolution are shown
    for comparison only. -#}
with

incidents as (

    select * from {{ ref('int_servicenow_incidents_rolled_up') }}

),

unresolved as (

    select
        ticket_id,
        imputed_resolved_at,
        {{ hours_between('created_at', 'imputed_resolved_at') }} as imputed_resolution_hours,
        cast({{ dbt.date_trunc('month',
            to_reporting_date('coalesce(closed_at, imputed_resolved_at)')) }} as date)
            as period_start

    from incidents
    where imputed_resolved_at is not null

),

final as (

    select
        period_start,
        count(*) as unresolved_closure_count,
        avg(imputed_resolution_hours) as mean_imputed_resolution_hours

    from unresolved
    group by 1

)

select * from final
