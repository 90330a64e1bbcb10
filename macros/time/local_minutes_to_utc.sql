{% macro local_minutes_to_utc(local_date, minutes, timezone_column) -%}
    {{ return(adapter.dispatch('local_minutes_to_utc', 'nyckeltal')(local_date, minutes, timezone_column)) }}
{%- endmacro %}

{% macro default__local_minutes_to_utc(local_date, minutes, timezone_column) -%}
    to_utc_timestamp(
        cast({{ local_date }} as timestamp) + make_interval(0, 0, 0, 0, 0, {{ minutes }}, 0),
        {{ timezone_column }}
    )
{%- endmacro %}

{% macro duckdb__local_minutes_to_utc(local_date, minutes, timezone_column) -%}
    {#- the UTC instant of a wall-clock time (minutes after local midnight) in a time zone;
        24:00 is the next midnight; DST handled by ICU -#}
    timezone(
        'UTC',
        timezone({{ timezone_column }}, cast({{ local_date }} as timestamp) + to_minutes({{ minutes }}))
    )
{%- endmacro %}
