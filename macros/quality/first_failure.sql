{% macro first_failure(checks) -%}
    {#- checks: list of (condition, reason); the first condition that holds names the reason -#}
    case
        {%- for condition, reason in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}
