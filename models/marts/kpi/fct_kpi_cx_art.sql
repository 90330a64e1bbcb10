{#- cx_art: mean calendar hours from creation to the last resolution over customer tickets
    resolved in the period (spam, merged, cancelled and problem tickets excluded). Segments: all, customer
    segment, country, channel. -#}
with

units as (

    {{ kpi_units('cx_art') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_art') }}

select * from final
