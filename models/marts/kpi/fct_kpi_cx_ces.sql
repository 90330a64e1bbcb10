{#- cx_ces: customer effort answers in the top box of their own scale (5–7 on 1–7, 4–5 on 1–5;
    higher is easier) / answers, attributed to the response date, with the Wilson interval.
    Day to quarter; segments all, customer segment, country. -#}
with

units as (

    {{ kpi_units('cx_ces') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('cx_ces') }}

select * from final
