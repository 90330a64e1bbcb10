{% macro is_excluded_ticket(relation) -%}
    {#- excluded from every KPI (kpi-spec decisions): spam, merged away, cancelled -#}
    (
        {{ relation }}.is_spam
        or {{ relation }}.merged_into_ticket_id is not null
        or {{ relation }}.status = 'cancelled'
    )
{%- endmacro %}
