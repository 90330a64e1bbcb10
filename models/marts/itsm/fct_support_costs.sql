{#- one row per month and team (grain: cost_month, team_id) of support cost in the configured
    currency; unknown teams map to `unknown`. -#}
with

costs as (

    select * from {{ ref('stg_contract__support_costs') }}
    where quarantine_reason is null

),

teams as (

    select * from {{ ref('dim_teams') }}
    where not is_unknown_member

),

final as (

    select
        costs.cost_month,
        coalesce(teams.team_id, 'unknown') as team_id,
        sum(costs.cost_amount) as cost_amount,
        max(costs.currency_code) as currency_code

    from costs

    left join teams
        on costs.team_id = teams.team_id

    group by 1, 2

)

select * from final
