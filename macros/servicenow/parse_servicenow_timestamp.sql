{% macro parse_servicenow_timestamp(column, format_column='_date_format') -%}
    {{ return(adapter.dispatch('parse_servicenow_timestamp', 'nyckeltal')(column, format_column)) }}
{%- endmacro %}

{% macro default__parse_servicenow_timestamp(column, format_column) -%}
    {%- set tz = var('servicenow_timezone', var('source_timezone')) -%}
    case
        when {{ format_column }} = 'dmy'
            then to_utc_timestamp(coalesce(
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'd/M/yyyy H:mm:ss'),
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'd/M/yyyy H:mm'),
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'd/M/yyyy')
            ), '{{ tz }}')
        when {{ format_column }} = 'mdy'
            then to_utc_timestamp(coalesce(
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'M/d/yyyy H:mm:ss'),
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'M/d/yyyy H:mm'),
                to_timestamp(regexp_replace({{ column }}, '[.-]', '/'), 'M/d/yyyy')
            ), '{{ tz }}')
        else {{ to_utc_timestamp(column, tz) }}
    end
{%- endmacro %}

{% macro duckdb__parse_servicenow_timestamp(column, format_column) -%}
    {#- the export's text timestamp in UTC: `format_column` holds the file's detected format
        (iso, dmy = DD/MM/YYYY HH:MM[:SS], mdy = MM/DD/YYYY …; `/`, `.` or `-` between the date
        parts); naive values are local time in var servicenow_timezone. NULL when unparseable. -#}
    {%- set tz = var('servicenow_timezone', var('source_timezone')) -%}
    case
        when {{ format_column }} = 'dmy'
            then timezone('UTC', timezone('{{ tz }}', try_strptime(
                regexp_replace({{ column }}, '[.-]', '/', 'g'),
                ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y']
            )))
        when {{ format_column }} = 'mdy'
            then timezone('UTC', timezone('{{ tz }}', try_strptime(
                regexp_replace({{ column }}, '[.-]', '/', 'g'),
                ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y']
            )))
        else {{ to_utc_timestamp(column, tz) }}
    end
{%- endmacro %}
