{% macro ticket_last_resolved_at(relation) -%}
    {#- a ticket's latest resolution while its current status is resolved or closed (a ticket
        reopened and still open has none): resolved_at, else for contract tickets closed_at. A
        source that reports its own outcomes (ServiceNow) counts only incidents with a
        resolved_at, as its own reports do: no resolution time is invented for the others
        (quality_servicenow_unresolved_closures counts them). -#}
    case
        when {{ relation }}.status in ('resolved', 'closed')
            then coalesce(
                {{ relation }}.resolved_at,
                case when not {{ relation }}.reports_own_outcomes then {{ relation }}.closed_at end
            )
    end
{%- endmacro %}
