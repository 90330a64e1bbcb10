{% macro to_reporting_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('to_reporting_date', 'nyckeltal')(utc_timestamp)) }}
{%- endmacro %}

{% macro default__to_reporting_date(utc_timestamp) -%}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}') as date)
{%- endmacro %}

{% macro duckdb__to_reporting_date(utc_timestamp) -%}
    {#- the local calendar date in the reporting time zone of a naive UTC timestamp -#}
    cast(timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ utc_timestamp }})) as date)
{%- endmacro %}
