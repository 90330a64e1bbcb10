{% macro to_json_text(row_expression) -%}
    {{ return(adapter.dispatch('to_json_text', 'nyckeltal')(row_expression)) }}
{%- endmacro %}

{% macro default__to_json_text(row_expression) -%}
    to_json({{ row_expression }})
{%- endmacro %}

{% macro duckdb__to_json_text(row_expression) -%}
    {#- a row or struct as JSON text (a table alias names its whole row in DuckDB) -#}
    cast(to_json({{ row_expression }}) as varchar)
{%- endmacro %}
