{% macro parse_boolean(column, default=none) -%}
    {#- true/1/yes/ja and false/0/no/nej, any case; blank gives `default`; anything else NULL -#}
    case
        when lower({{ blank_to_null(column) }}) in ('true', 't', '1', 'yes', 'y', 'ja', 'j')
            then true
        when lower({{ blank_to_null(column) }}) in ('false', 'f', '0', 'no', 'n', 'nej')
            then false
        {%- if default is not none %}
        when {{ blank_to_null(column) }} is null then {{ default }}
        {%- endif %}
    end
{%- endmacro %}
