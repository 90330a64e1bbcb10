{% macro ticket_segments() -%}
    {#- the natural cuts of ticket-based KPIs: segment_type -> column of fct_tickets -#}
    {{ return({
        'priority': 'priority',
        'team': 'team_id',
        'channel': 'channel',
        'requester_type': 'requester_type',
        'category': 'category',
        'service': 'service_id',
    }) }}
{%- endmacro %}
