{% macro servicenow_null(column) -%}
    {#- ServiceNow exports write an empty value as '' or '?': both are NULL, others trimmed -#}
    case when trim({{ column }}) not in ('', '?') then trim({{ column }}) end
{%- endmacro %}
