{% macro last_by(value, order_columns) -%}
    {{ return(adapter.dispatch('last_by', 'nyckeltal')(value, order_columns)) }}
{%- endmacro %}

{% macro default__last_by(value, order_columns) -%}
    max_by({{ value }}, struct({{ order_columns | join(', ') }}))
{%- endmacro %}

{% macro duckdb__last_by(value, order_columns) -%}
    {#- an aggregate: `value` of the row that sorts last by order_columns (compared in order,
        the first deciding), as a hash aggregate instead of a window over the rows -#}
    arg_max({{ value }}, struct_pack({{ order_columns | join(', ') }}))
{%- endmacro %}
