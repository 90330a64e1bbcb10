{#- rows in and rows quarantined per landed table and month (grain: source_table ×
    period_start): event tables place each row in the reporting-time-zone month of its own
    timestamp; a row whose timestamp is missing or unparseable, a CSV line that could not be
    split, and every row of a reference table have period_start NULL (undated). The
    quarantine-share expectation judges each month on its own and the undated rows as a
    whole. -#}
with

manifest as (

    select * from {{ ref('stg_contract__load_manifest') }}

),

counted as (

    select * from {{ ref('int_landed_rows_counted') }}

),

checked_rows as (

    select
        source_table,
        period_start,
        checked_row_count,
        checked_row_count - staged_row_count as quarantined_row_count

    from counted

),

malformed_lines as (

    -- lines the reader could not split belong to no period
    select
        table_name as source_table,
        cast(null as date) as period_start,
        rejected_row_count as checked_row_count,
        rejected_row_count as quarantined_row_count

    from manifest
    where rejected_row_count > 0

),

unioned as (

    select * from checked_rows
    union all
    select * from malformed_lines

),

final as (

    select
        source_table,
        period_start,
        sum(checked_row_count) as rows_in,
        sum(quarantined_row_count) as quarantined_row_count

    from unioned
    group by 1, 2

)

select * from final
