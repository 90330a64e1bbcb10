{#- one row per KPI of the catalogue (grain: kpi_id) with what its rows are judged by: unit,
    valid range, required sources and look-ahead, privacy group size, and the minimum
    sample and maximum half-width, the catalogue's overridden per KPI by var kpi_thresholds -#}
with

catalog_seed as (

    select * from {{ ref('kpi_catalog') }}

),

{%- set overrides = var('kpi_thresholds', {}) %}

threshold_overrides as (

    -- var kpi_thresholds: {kpi_id: {min_sample: n, max_ci_half_width: x}}
    select
        cast(null as varchar) as kpi_id,
        cast(null as integer) as min_sample,
        cast(null as double) as max_ci_half_width
    {%- for kpi_id, values in overrides.items() %}
    union all
    select
        '{{ kpi_id }}' as kpi_id,
        {{ values.get('min_sample', 'null') }} as min_sample,
        {{ values.get('max_ci_half_width', 'null') }} as max_ci_half_width
    {%- endfor %}

),

final as (

    -- the catalogue's thresholds, overridden per KPI by var kpi_thresholds
    select
        catalog_seed.kpi_id,
        catalog_seed.unit,
        catalog_seed.value_min,
        catalog_seed.value_max,
        catalog_seed.required_sources,
        catalog_seed.lookahead_days,
        catalog_seed.privacy_group_size,
        coalesce(threshold_overrides.min_sample, catalog_seed.min_sample) as min_sample,
        coalesce(threshold_overrides.max_ci_half_width, catalog_seed.max_ci_half_width)
            as max_ci_half_width

    from catalog_seed

    left join threshold_overrides
        on catalog_seed.kpi_id = threshold_overrides.kpi_id

)

select * from final
