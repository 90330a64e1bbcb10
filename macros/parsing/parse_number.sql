{% macro parse_number(column) -%}
    {#- decimal point or decimal comma (Swedish exports); spaces as thousands separators.
        With both separators present, the later one is the decimal mark. -#}
    {%- set text -%}
        replace(replace({{ blank_to_null(column) }}, ' ', ''), chr(160), '')
    {%- endset -%}
    try_cast(
        case
            when strpos({{ text }}, ',') > 0 and strpos({{ text }}, '.') > 0
                then case
                    when strpos({{ text }}, ',') > strpos({{ text }}, '.')
                        then replace(replace({{ text }}, '.', ''), ',', '.')
                    else replace({{ text }}, ',', '')
                end
            else replace({{ text }}, ',', '.')
        end
        as double
    )
{%- endmacro %}
