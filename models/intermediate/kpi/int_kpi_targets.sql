{#- the target each KPI row is judged by (grain: kpi_id × period_grain × period_start ×
    segment_type × segment_value): the seed kpi_targets' row valid for the period's start, one
    for the row's own segment before one for the whole KPI, else the catalogue's default -#}
with

kpi_rows as (

    select
        kpi_id,
        period_grain,
        period_start,
        segment_type,
        segment_value

    from {{ ref('fct_kpi_values') }}

),

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

targets as (

    select * from {{ ref('kpi_targets') }}

),

matched as (

    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.segment_type,
        kpi_rows.segment_value,
        targets.target_value,
        targets.target_operator,
        -- a segment's own target before the KPI's; the later start where both apply
        row_number() over (
            partition by
                kpi_rows.kpi_id,
                kpi_rows.period_grain,
                kpi_rows.period_start,
                kpi_rows.segment_type,
                kpi_rows.segment_value
            order by targets.segment_type is null, targets.valid_from desc nulls last
        ) as target_rank

    from kpi_rows

    inner join targets
        on
        kpi_rows.kpi_id = targets.kpi_id
        and (
            targets.segment_type is null
            or (
                kpi_rows.segment_type = targets.segment_type
                and kpi_rows.segment_value = targets.segment_value
            )
        )
        and (targets.valid_from is null or kpi_rows.period_start >= targets.valid_from)
        and (targets.valid_to is null or kpi_rows.period_start <= targets.valid_to)

),

final as (

    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.segment_type,
        kpi_rows.segment_value,
        coalesce(matched.target_value, catalog.target_value) as target_value,
        coalesce(matched.target_operator, catalog.target_operator) as target_operator,
        matched.target_value is not null as is_target_from_seed

    from kpi_rows

    inner join catalog
        on kpi_rows.kpi_id = catalog.kpi_id

    left join matched
        on
        {{ same_kpi_cell('kpi_rows', 'matched') }}
        and matched.target_rank = 1

)

select * from final
