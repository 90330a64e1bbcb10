{#- one row per team, plus the `unknown` member that unknown team references map to -#}
with

teams as (

    select * from {{ ref('stg_contract__teams') }}
    where quarantine_reason is null

),

final as (

    select
        team_id,
        team_name,
        team_function,
        tier,
        false as is_unknown_member
    from teams

    union all

    select
        'unknown' as team_id,
        'Unknown team' as team_name,
        cast(null as varchar) as team_function,
        cast(null as integer) as tier,
        true as is_unknown_member

)

select * from final
