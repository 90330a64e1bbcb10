{#- quarantined rows counted per table and reason: what the published database may show -#}
with

quarantined as (

    select * from {{ ref('int_quarantined_rows') }}

),

final as (

    select
        source_table,
        quarantine_reason,
        count(*) as quarantined_row_count,
        min(row_number) as first_row_number

    from quarantined
    group by 1, 2

)

select * from final
