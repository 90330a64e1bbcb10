{% macro median_of(expression) -%}
    {{ return(adapter.dispatch('median_of', 'nyckeltal')(expression)) }}
{%- endmacro %}

{% macro default__median_of(expression) -%}
    {#- continuous median (linear interpolation), as kpi-spec.md decides -#}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median_of(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}
