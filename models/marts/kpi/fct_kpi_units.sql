{#- the units behind every itemised KPI (grain: kpi_id × unit_id, and period_grain ×
    unit_date for units that belong to one period): tickets, reply cycles, changes, survey
    answers, customers and self-service sessions, each with the date it is attributed to (or
    the period it belongs to, period_grain not null), its measure in the KPI's unit (1 or 0
    for a rate), whether it enters the statistic, and its segment values. The same units as
    the KPI's model (kpi_units); `nyckeltal explain` lists them. Churn units are listed for
    months and quarters only (unit_grains). EX KPIs have none: people are not itemised. -#}
with

{% for kpi_id in kpi_unit_specs() %}
    units_{{ kpi_id }} as (

        {{ kpi_units(kpi_id) }}

    ),

{% endfor %}
unioned as (

    {% for kpi_id in kpi_unit_specs() %}
        {{ kpi_unit_rows(kpi_id, 'units_' ~ kpi_id) }}
        {% if not loop.last %}
            union all
        {% endif %}
    {% endfor %}

)

select * from unioned
