{% macro iso_weekday(date_expression) -%}
    {{ return(adapter.dispatch('iso_weekday', 'nyckeltal')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_weekday(date_expression) -%}
    extract(dayofweek_iso from {{ date_expression }})
{%- endmacro %}

{% macro duckdb__iso_weekday(date_expression) -%}
    {#- 1 = Monday .. 7 = Sunday -#}
    isodow({{ date_expression }})
{%- endmacro %}
