{% macro blank_to_null(column, null_tokens=[]) -%}
    {#- trimmed text, NULL when blank or one of null_tokens (e.g. ServiceNow's '?') -#}
    {%- if null_tokens -%}
        case
            when trim({{ column }}) not in (''
                {%- for token in null_tokens %}, '{{ token }}'{% endfor %})
                then trim({{ column }})
        end
    {%- else -%}
        nullif(trim({{ column }}), '')
    {%- endif -%}
{%- endmacro %}
