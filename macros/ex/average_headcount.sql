{% macro average_headcount(at_start=none, at_end=none) -%}
    {#- (headcount on the period's first day + on its last day) / 2, an aggregate expression:
        by default over fct_employee_periods rows (one per person); at_start and at_end are
        the two headcounts' aggregates where rows are groups with counts -#}
    (
        {{ at_start or 'count(*) filter (where is_active_at_start)' }}
        + {{ at_end or 'count(*) filter (where is_active_at_end)' }}
    ) / 2.0
{%- endmacro %}
