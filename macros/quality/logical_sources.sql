{% macro logical_sources() -%}
    {#- the sources the KPI catalogue names (required_sources) that several landed tables
        supply: a logical source is present when one of its members is, its watermark is the
        oldest of its present members, its completeness the worst. tickets: every ticket
        source; ticket_events: status history and outcomes (the contract's events, or a
        ServiceNow export, which carries its own results); ticket_conversation: replies, notes
        and escalations (only the contract's events record them); contract_tickets: tickets of
        every type and requester (a ServiceNow incident export holds employee incidents only). -#}
    {{ return({
        'tickets': ['tickets', 'servicenow_incident'],
        'ticket_events': ['ticket_events', 'servicenow_incident'],
        'ticket_conversation': ['ticket_events'],
        'contract_tickets': ['tickets'],
    }) }}
{%- endmacro %}

{% macro logical_source_members() -%}
    {#- logical_sources() as rows (source_name, member_name), for a CTE -#}
    {%- for name, members in logical_sources().items() %}
        {%- for member in members %}
    select '{{ name }}' as source_name, '{{ member }}' as member_name
            {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
{%- endmacro %}
