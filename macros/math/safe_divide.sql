{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'nyckeltal')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    {#- DuckDB float division by zero gives inf/nan, not NULL: guard and keep finite only -#}
    {%- set quotient -%}
        cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
    {%- endset -%}
    case when isfinite({{ quotient }}) then {{ quotient }} end
{%- endmacro %}
