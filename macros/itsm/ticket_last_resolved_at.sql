{% macro ticket_last_resolved_at(relation) -%}
    {#- a ticket's latest resolution: resolved_at (else closed_at) while its current status is
        resolved or closed; a ticket reopened and still open has none -#}
    case
        when {{ relation }}.status in ('resolved', 'closed')
            then coalesce({{ relation }}.resolved_at, {{ relation }}.closed_at)
    end
{%- endmacro %}
