{#- cx_frt: itsm_frt restricted to customer tickets, each on its channel's clock: calendar
    hours for live chat, business hours otherwise; headline the median, attributed to the
    period of the reply. Segments: all, customer segment, country, channel. -#}
with

units as (

    {{ kpi_units('cx_frt') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_frt') }}

select * from final
