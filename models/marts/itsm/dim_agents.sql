{#- one row per agent (grain: agent_id, pseudonymised) plus the `unknown` member -#}
with

agents as (

    select * from {{ ref('stg_contract__agents') }}
    where quarantine_reason is null

),

final as (

    select
        agent_id,
        team_id,
        active_from,
        active_to,
        false as is_unknown_member
    from agents

    union all

    select
        'unknown' as agent_id,
        'unknown' as team_id,
        cast(null as date) as active_from,
        cast(null as date) as active_to,
        true as is_unknown_member

)

select * from final
