{% macro landed_models() -%}
    {#- each landed table (contract tables and system exports) with the model holding its
        checked rows and the key that names a row -#}
    {{ return([
        {'table': 'tickets', 'model': 'stg_contract__tickets', 'key': 'ticket_id'},
        {'table': 'ticket_events', 'model': 'int_ticket_events_checked', 'key': 'event_id'},
        {'table': 'sla_policies', 'model': 'stg_contract__sla_policies', 'key': 'policy_id'},
        {'table': 'business_hours', 'model': 'stg_contract__business_hours',
            'key': "calendar_id || ' ' || cast(iso_weekday as varchar)"},
        {'table': 'holidays', 'model': 'stg_contract__holidays',
            'key': "calendar_id || ' ' || cast(holiday_date as varchar)"},
        {'table': 'teams', 'model': 'stg_contract__teams', 'key': 'team_id'},
        {'table': 'agents', 'model': 'stg_contract__agents', 'key': 'agent_id'},
        {'table': 'services', 'model': 'stg_contract__services', 'key': 'service_id'},
        {'table': 'support_costs', 'model': 'stg_contract__support_costs',
            'key': "cast(cost_month as varchar) || ' ' || team_id"},
        {'table': 'changes', 'model': 'stg_contract__changes', 'key': 'change_id'},
        {'table': 'service_outages', 'model': 'stg_contract__service_outages', 'key': 'outage_id'},
        {'table': 'service_usage', 'model': 'stg_contract__service_usage',
            'key': "cast(usage_date as varchar) || ' ' || service_id"},
        {'table': 'survey_responses', 'model': 'int_survey_responses_checked',
            'key': 'response_id'},
        {'table': 'employees', 'model': 'stg_contract__employees', 'key': 'employee_id'},
        {'table': 'customers', 'model': 'stg_contract__customers', 'key': 'customer_id'},
        {'table': 'customer_revenue', 'model': 'stg_contract__customer_revenue',
            'key': 'invoice_id'},
        {'table': 'self_service_sessions', 'model': 'stg_contract__self_service_sessions',
            'key': 'session_id'},
        {'table': 'servicenow_incident', 'model': 'stg_servicenow__incidents',
            'key': 'incident_number'},
    ]) }}
{%- endmacro %}
