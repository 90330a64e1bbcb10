{#- one row per customer (grain: customer_id, pseudonymised): segment, country, acquisition and
    churn (active from acquired_at until churned_at), plus the `unknown` member -#}
with

customers as (

    select * from {{ ref('stg_contract__customers') }}
    where quarantine_reason is null

),

final as (

    select
        customer_id,
        coalesce(segment, 'unknown') as customer_segment,
        coalesce(country, 'unknown') as country,
        acquired_at,
        churned_at,
        false as is_unknown_member
    from customers

    union all

    select
        'unknown' as customer_id,
        'unknown' as customer_segment,
        'unknown' as country,
        cast(null as timestamp) as acquired_at,
        cast(null as timestamp) as churned_at,
        true as is_unknown_member

)

select * from final
