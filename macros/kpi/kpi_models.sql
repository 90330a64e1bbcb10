{% macro kpi_models() -%}
    {#- the per-KPI models that fct_kpi_values unions; each has the shared KPI column shape -#}
    {{ return([
        'fct_kpi_itsm_mttr',
    ]) }}
{%- endmacro %}
