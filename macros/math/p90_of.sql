{% macro p90_of(expression) -%}
    {{ return(adapter.dispatch('p90_of', 'nyckeltal')(expression)) }}
{%- endmacro %}

{% macro default__p90_of(expression) -%}
    percentile_cont(0.9) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__p90_of(expression) -%}
    {#- continuous 90th percentile (linear interpolation) -#}
    quantile_cont({{ expression }}, 0.9)
{%- endmacro %}
