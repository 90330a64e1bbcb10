{% macro parse_date(column) -%}
    {#- a date, or the date part of a timestamp written without an offset -#}
    coalesce(
        try_cast({{ blank_to_null(column) }} as date),
        cast(try_cast({{ blank_to_null(column) }} as timestamp) as date)
    )
{%- endmacro %}
