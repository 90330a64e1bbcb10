{% macro to_utc_timestamp(column, source_timezone=none) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'nyckeltal')(column, source_timezone)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column, source_timezone=none) -%}
    {%- set tz = source_timezone or var('source_timezone') -%}
    case
        when {{ blank_to_null(column) }} rlike '[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then to_utc_timestamp(cast({{ blank_to_null(column) }} as timestamp), 'UTC')
        else to_utc_timestamp(cast({{ blank_to_null(column) }} as timestamp), '{{ tz }}')
    end
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(column, source_timezone=none) -%}
    {#- ISO 8601 with an offset after its time is exact; without one (a date alone included:
        local midnight) it is local time in source_timezone.
        Returns a naive timestamp in UTC, NULL when the text is not a timestamp. -#}
    {%- set tz = source_timezone or var('source_timezone') -%}
    case
        when regexp_matches({{ blank_to_null(column) }}, '[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone('UTC', try_cast({{ blank_to_null(column) }} as timestamptz))
        else timezone('UTC', timezone('{{ tz }}', try_cast({{ blank_to_null(column) }} as timestamp)))
    end
{%- endmacro %}
