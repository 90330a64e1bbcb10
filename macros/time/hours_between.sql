{% macro hours_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('hours_between', 'nyckeltal')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__hours_between(start_timestamp, end_timestamp) -%}
    (unix_timestamp({{ end_timestamp }}) - unix_timestamp({{ start_timestamp }})) / 3600.0
{%- endmacro %}

{% macro duckdb__hours_between(start_timestamp, end_timestamp) -%}
    {#- exact calendar hours between two UTC timestamps (fractions of a second kept) -#}
    (epoch({{ end_timestamp }}) - epoch({{ start_timestamp }})) / 3600.0
{%- endmacro %}
