{% macro parse_enum(column, allowed, aliases={}) -%}
    {#- lower-cased value when it is one of `allowed` (or an alias of one), else NULL -#}
    case
        {%- for alias, value in aliases.items() %}
        when lower({{ blank_to_null(column) }}) = '{{ alias }}' then '{{ value }}'
        {%- endfor %}
        when lower({{ blank_to_null(column) }}) in (
            {%- for value in allowed %}'{{ value }}'{{ ", " if not loop.last }}{% endfor -%}
        ) then lower({{ blank_to_null(column) }})
    end
{%- endmacro %}
