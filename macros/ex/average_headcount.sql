{% macro average_headcount() -%}
    {#- (headcount on the period's first day + on its last day) / 2, over fct_employee_periods
        rows (an aggregate expression) -#}
    (
        count(*) filter (where is_active_at_start)
        + count(*) filter (where is_active_at_end)
    ) / 2.0
{%- endmacro %}
