{% macro landed_models() -%}
    {#- each landed table (contract tables and system exports) with the model holding its
        checked rows, the key that names a row and, for event tables, the timestamp or date
        that places a row in a period (`at`) -#}
    {{ return([
        {'table': 'tickets', 'model': 'stg_contract__tickets', 'at': 'created_at', 'key': 'ticket_id'},
        {'table': 'ticket_events', 'model': 'int_ticket_events_checked', 'at': 'occurred_at', 'key': 'event_id'},
        {'table': 'sla_policies', 'model': 'stg_contract__sla_policies', 'key': 'policy_id'},
        {'table': 'business_hours', 'model': 'stg_contract__business_hours',
            'key': "calendar_id || ' ' || cast(iso_weekday as varchar)"},
        {'table': 'holidays', 'model': 'stg_contract__holidays',
            'key': "calendar_id || ' ' || cast(holiday_date as varchar)"},
        {'table': 'teams', 'model': 'stg_contract__teams', 'key': 'team_id'},
        {'table': 'agents', 'model': 'stg_contract__agents', 'key': 'agent_id'},
        {'table': 'services', 'model': 'stg_contract__services', 'key': 'service_id'},
        {'table': 'support_costs', 'model': 'stg_contract__support_costs', 'at': 'cost_month',
            'key': "cast(cost_month as varchar) || ' ' || team_id"},
        {'table': 'changes', 'model': 'stg_contract__changes', 'at': 'requested_at', 'key': 'change_id'},
        {'table': 'service_outages', 'model': 'stg_contract__service_outages', 'at': 'started_at', 'key': 'outage_id'},
        {'table': 'service_usage', 'model': 'stg_contract__service_usage', 'at': 'usage_date',
            'key': "cast(usage_date as varchar) || ' ' || service_id"},
        {'table': 'survey_responses', 'model': 'int_survey_responses_checked', 'at': 'responded_at',
            'key': 'response_id'},
        {'table': 'employees', 'model': 'stg_contract__employees', 'key': 'employee_id'},
        {'table': 'customers', 'model': 'stg_contract__customers', 'key': 'customer_id'},
        {'table': 'customer_revenue', 'model': 'stg_contract__customer_revenue', 'at': 'invoice_date',
            'key': 'invoice_id'},
        {'table': 'self_service_sessions', 'model': 'stg_contract__self_service_sessions', 'at': 'started_at',
            'key': 'session_id'},
        {'table': 'servicenow_incident', 'model': 'stg_servicenow__incidents', 'at': 'sys_updated_at',
            'key': 'incident_number'},
    ]) }}
{%- endmacro %}
