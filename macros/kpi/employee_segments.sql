{% macro employee_segments() -%}
    {#- the natural cuts of EX KPIs -#}
    {{ return({'department': 'department', 'location': 'location'}) }}
{%- endmacro %}
