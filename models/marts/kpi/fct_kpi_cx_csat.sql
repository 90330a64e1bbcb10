{#- cx_csat: as itsm_csat, on customer-raised tickets: answered csat surveys in the top box of
    their scale / answered surveys, by response date. Segments: all, customer segment,
    country, channel. -#}
with

units as (

    {{ kpi_units('cx_csat') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_csat') }}

select * from final
