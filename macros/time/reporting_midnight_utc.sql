{% macro reporting_midnight_utc(date_expression) -%}
    {{ return(adapter.dispatch('reporting_midnight_utc', 'nyckeltal')(date_expression)) }}
{%- endmacro %}

{% macro default__reporting_midnight_utc(date_expression) -%}
    to_utc_timestamp(cast({{ date_expression }} as timestamp), '{{ var("reporting_timezone") }}')
{%- endmacro %}

{% macro duckdb__reporting_midnight_utc(date_expression) -%}
    {#- the UTC instant at which a local date starts in the reporting time zone -#}
    timezone(
        'UTC',
        timezone('{{ var("reporting_timezone") }}', cast({{ date_expression }} as timestamp))
    )
{%- endmacro %}
