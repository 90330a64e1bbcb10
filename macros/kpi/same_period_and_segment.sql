{% macro same_period_and_segment(left, right) -%}
    {#- join condition: the same period_grain, period_start, segment_type and segment_value -#}
    {{ left }}.period_grain = {{ right }}.period_grain
    and {{ left }}.period_start = {{ right }}.period_start
    and {{ left }}.segment_type = {{ right }}.segment_type
    and {{ left }}.segment_value = {{ right }}.segment_value
{%- endmacro %}

{% macro same_kpi_cell(left, right) -%}
    {#- join condition: the same KPI, period_grain, period_start, segment_type and
        segment_value -#}
    {{ left }}.kpi_id = {{ right }}.kpi_id
    and {{ same_period_and_segment(left, right) }}
{%- endmacro %}
