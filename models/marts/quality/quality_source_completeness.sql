{#- one row per contract source (grain: source_table): the share of rows as they arrived (staged
    plus quarantined) that miss or cannot parse a required field; kpi_values withholds the KPIs
    that need a source whose share exceeds var completeness_tolerance -#}
with

accounting as (

    select * from {{ ref('quality_row_accounting') }}

),

quarantined as (

    select * from {{ ref('int_quarantined_rows') }}

),

incomplete as (

    select
        source_table,
        count(*) as incomplete_row_count

    from quarantined
    where
        quarantine_reason like 'missing%'
        or quarantine_reason like '%unparseable%'
        or quarantine_reason like 'malformed CSV line%'

    group by 1

),

final as (

    select
        accounting.source_table,
        accounting.rows_in,
        coalesce(incomplete.incomplete_row_count, 0) as incomplete_row_count,
        {{ safe_divide('coalesce(incomplete.incomplete_row_count, 0)', 'accounting.rows_in') }}
            as incomplete_share

    from accounting

    left join incomplete
        on accounting.source_table = incomplete.source_table

)

select * from final
