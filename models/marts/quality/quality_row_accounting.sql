{#- one row per contract table: rows in = rows staged + rows quarantined -#}
with

manifest as (

    select * from {{ ref('stg_contract__load_manifest') }}

),

quarantined as (

    select * from {{ ref('int_quarantined_rows') }}

),

counted as (

    select * from {{ ref('int_landed_rows_counted') }}

),

checked_counts as (

    select
        source_table,
        sum(checked_row_count) as checked_row_count,
        sum(staged_row_count) as staged_row_count

    from counted
    group by 1

),

quarantined_counts as (

    select
        source_table,
        count(*) as quarantined_row_count
    from quarantined
    group by 1

),

final as (

    select
        manifest.table_name as source_table,
        manifest.is_present,
        manifest.source_file,
        manifest.row_count as loaded_row_count,
        manifest.rejected_row_count as rejected_line_count,
        -- a reference table that did not land comes from its seed
        case
            when manifest.is_present then manifest.row_count + manifest.rejected_row_count
            else coalesce(checked_counts.checked_row_count, 0)
        end as rows_in,
        coalesce(checked_counts.staged_row_count, 0) as staged_row_count,
        coalesce(quarantined_counts.quarantined_row_count, 0) as quarantined_row_count,
        manifest.loaded_at

    from manifest

    -- a table without rows has no counts
    left join checked_counts
        on manifest.table_name = checked_counts.source_table

    left join quarantined_counts
        on manifest.table_name = quarantined_counts.source_table

)

select * from final
