{% macro kpi_models() -%}
    {#- the per-KPI models that fct_kpi_values unions (each has the shared KPI column shape):
        fct_kpi_<kpi_id> for every row of the KPI catalogue (seeds/kpi_catalog.csv), which dbt
        cannot read while parsing; var kpi_models is written from it by scripts/registry.py,
        and a test fails when it is stale -#}
    {{ return(var('kpi_models')) }}
{%- endmacro %}
