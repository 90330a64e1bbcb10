{% macro day_series(first_date, last_date) -%}
    {{ return(adapter.dispatch('day_series', 'nyckeltal')(first_date, last_date)) }}
{%- endmacro %}

{% macro default__day_series(first_date, last_date) -%}
    sequence(cast({{ first_date }} as date), cast({{ last_date }} as date), interval 1 day)
{%- endmacro %}

{% macro duckdb__day_series(first_date, last_date) -%}
    {#- a list of every date from first_date to last_date, both included -#}
    generate_series(
        cast({{ first_date }} as timestamp), cast({{ last_date }} as timestamp), interval 1 day
    )
{%- endmacro %}
