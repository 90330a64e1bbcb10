{% macro parse_whole_number(column) -%}
    {#- a count written as 3, 3.0 or 3,0 (exports through float columns); NULL for 3.5 or text -#}
    case
        when {{ parse_number(column) }} = floor({{ parse_number(column) }})
            then cast({{ parse_number(column) }} as integer)
    end
{%- endmacro %}
