{#- one row per service (grain: service_id) plus the `unknown` member -#}
with

services as (

    select * from {{ ref('stg_contract__services') }}
    where quarantine_reason is null

),

final as (

    select
        service_id,
        service_name,
        audience,
        criticality,
        false as is_unknown_member
    from services

    union all

    select
        'unknown' as service_id,
        'Unknown service' as service_name,
        cast(null as varchar) as audience,
        cast(null as varchar) as criticality,
        true as is_unknown_member

)

select * from final
