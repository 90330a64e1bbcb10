{% macro kpi_unit_specs() -%}
    {#- the KPIs whose value is a statistic over itemised units (tickets, reply cycles,
        changes, survey answers, customers, self-service sessions): per KPI the unit's id,
        the date it is attributed to (or, with grain_column, the period it belongs to), its
        measure in the KPI's unit, the statistic, and its segments; unit_grains: the grains
        fct_kpi_units lists units for (a customer in every daily churn period would be one row
        per customer and day). Read by the KPI's model
        (kpi_from_unit_spec) and by fct_kpi_units, so both count the same units. EX KPIs are
        not here: people are never itemised. -#}
    {%- set tickets = ticket_segments() -%}
    {{ return({
        'itsm_frt': {'unit_id': 'ticket_id', 'date': 'first_response_date',
            'measure': 'first_response_business_hours', 'statistic': 'median',
            'segments': tickets},
        'itsm_afrt': {'unit_id': 'ticket_id', 'date': 'first_response_date',
            'measure': 'first_response_business_hours', 'statistic': 'mean',
            'segments': tickets},
        'itsm_avg_response_time': {'unit_id': 'cycle_id', 'date': 'responded_date',
            'measure': 'response_business_hours', 'statistic': 'mean', 'segments': tickets},
        'itsm_mttr': {'unit_id': 'ticket_id', 'date': 'last_resolved_date',
            'measure': 'resolution_calendar_hours', 'statistic': 'mean', 'segments': tickets},
        'itsm_request_fulfillment_time': {'unit_id': 'ticket_id', 'date': 'last_resolved_date',
            'measure': 'resolution_business_hours', 'statistic': 'mean', 'segments': tickets},
        'itsm_problem_resolution_time': {'unit_id': 'ticket_id', 'date': 'last_resolved_date',
            'measure': 'resolution_calendar_days', 'statistic': 'median',
            'segments': tickets},
        'itsm_fcr': {'unit_id': 'ticket_id', 'date': 'first_resolved_date',
            'measure': 'is_first_contact_resolution', 'statistic': 'rate',
            'segments': tickets},
        'itsm_reopen_rate': {'unit_id': 'ticket_id', 'date': 'first_resolved_date',
            'measure': 'is_reopened', 'statistic': 'rate', 'segments': tickets},
        'itsm_escalation_rate': {'unit_id': 'ticket_id', 'date': 'last_resolved_date',
            'measure': 'is_escalated', 'statistic': 'rate', 'segments': tickets},
        'itsm_sla_compliance': {'unit_id': 'ticket_id', 'date': 'sla_outcome_date',
            'measure': 'is_sla_met', 'statistic': 'rate', 'segments': tickets},
        'itsm_csat': {'unit_id': 'response_id', 'date': 'responded_date',
            'measure': 'is_top_box', 'statistic': 'rate', 'segments': tickets},
        'itsm_change_success_rate': {'unit_id': 'change_id', 'date': 'implemented_date',
            'measure': 'is_successful', 'statistic': 'rate',
            'segments': {'service': 'service_id', 'change_type': 'change_type'}},
        'cx_art': {'unit_id': 'ticket_id', 'date': 'last_resolved_date',
            'measure': 'resolution_calendar_hours', 'statistic': 'mean',
            'segments': customer_segments(true)},
        'cx_frt': {'unit_id': 'ticket_id', 'date': 'first_response_date',
            'measure': 'first_response_channel_hours', 'statistic': 'median',
            'segments': customer_segments(true)},
        'cx_csat': {'unit_id': 'response_id', 'date': 'responded_date',
            'measure': 'is_top_box', 'statistic': 'rate',
            'segments': customer_segments(true)},
        'cx_ces': {'unit_id': 'response_id', 'date': 'responded_date',
            'measure': 'is_easy', 'statistic': 'rate', 'segments': customer_segments()},
        'cx_churn_rate': {'unit_id': 'customer_id', 'date': 'period_start',
            'measure': 'is_churned', 'statistic': 'rate', 'segments': customer_segments(),
            'grain_column': 'period_grain', 'unit_grains': ['month', 'quarter']},
        'cx_self_service_success': {'unit_id': 'session_id', 'date': 'started_date',
            'measure': 'is_successful', 'statistic': 'rate',
            'segments': {'requester_type': 'requester_type'}},
    }) }}
{%- endmacro %}

{% macro kpi_from_unit_spec(kpi_id, units='units', weight=none) -%}
    {#- kpi_from_units for a KPI of kpi_unit_specs() over the CTE `units` (`weight`: a column
        saying how many units a row stands for) -#}
    {%- set spec = kpi_unit_specs()[kpi_id] -%}
    {{ kpi_from_units(kpi_id, units, spec['date'], spec['segments'], spec['statistic'],
        spec['measure'], grain_column=spec.get('grain_column'), weight=weight) }}
{%- endmacro %}

{% macro kpi_units(kpi_id) -%}
    {#- the units of a KPI of kpi_unit_specs(): one row per eligible unit, with the columns
        its spec names. The one definition of which units a KPI counts, used by its model
        and by fct_kpi_units. -#}
    {%- set ticket_kpis = {
        'itsm_frt': 'is_response_eligible and first_response_at is not null',
        'itsm_afrt': 'is_response_eligible and first_response_at is not null',
        'itsm_mttr': 'is_mttr_eligible',
        'itsm_request_fulfillment_time': 'is_fulfilment_eligible',
        'itsm_fcr': 'is_fcr_eligible',
        'itsm_reopen_rate':
            "ticket_type = 'incident' and not is_excluded and first_resolved_at is not null",
        'itsm_escalation_rate':
            "is_resolved and not is_excluded and ticket_type <> 'problem' and has_conversation",
    } -%}
    {%- if kpi_id in ticket_kpis %}
    select * from {{ ref('fct_tickets') }}
    where {{ ticket_kpis[kpi_id] }}
    {%- elif kpi_id == 'itsm_problem_resolution_time' %}
    select
        *,
        resolution_calendar_hours / 24 as resolution_calendar_days
    from {{ ref('fct_tickets') }}
    where is_problem_resolution_eligible
    {%- elif kpi_id == 'itsm_sla_compliance' %}
    select
        *,
        sla_outcome = 'met' as is_sla_met
    from {{ ref('fct_tickets') }}
    where is_sla_bound and sla_outcome in ('met', 'breached')
    {%- elif kpi_id == 'itsm_avg_response_time' %}
    select
        cycles.cycle_number,
        cycles.ticket_id || '#' || cast(cycles.cycle_number as varchar) as cycle_id,
        cycles.responded_date,
        cycles.response_business_hours,
        tickets.*
    from {{ ref('fct_reply_cycles') }} as cycles
    inner join {{ ref('fct_tickets') }} as tickets
        on cycles.ticket_id = tickets.ticket_id
    where tickets.is_response_eligible
    {%- elif kpi_id == 'itsm_csat' %}
    select * from {{ ref('fct_ticket_survey_answers') }}
    {%- elif kpi_id == 'itsm_change_success_rate' %}
    select * from {{ ref('fct_changes') }}
    where is_completed
    {%- elif kpi_id in ('cx_art', 'cx_frt') %}
    select
        tickets.*,
        case
            when tickets.channel = 'chat' then tickets.first_response_calendar_hours
            else tickets.first_response_business_hours
        end as first_response_channel_hours,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country
    from {{ ref('fct_tickets') }} as tickets
    left join {{ ref('dim_customers') }} as customers
        on tickets.requester_id = customers.customer_id
    where
        tickets.requester_type = 'customer'
        {%- if kpi_id == 'cx_art' %}
        and tickets.is_resolved
        and not tickets.is_excluded
        and tickets.ticket_type <> 'problem'
        {%- else %}
        and tickets.is_response_eligible
        and tickets.first_response_at is not null
        {%- endif %}
    {%- elif kpi_id == 'cx_csat' %}
    select
        answers.response_id,
        answers.responded_date,
        answers.is_top_box,
        answers.channel,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country
    from {{ ref('fct_ticket_survey_answers') }} as answers
    left join {{ ref('dim_customers') }} as customers
        on answers.requester_id = customers.customer_id
    where answers.requester_type = 'customer'
    {%- elif kpi_id == 'cx_ces' %}
    select
        *,
        {{ is_top_box('score', 'scale_min', 'scale_max') }} as is_easy
    from {{ ref('int_customer_survey_answers') }}
    where survey_type = 'ces'
    {%- elif kpi_id == 'cx_churn_rate' %}
    select * from {{ ref('fct_customer_periods') }}
    {%- elif kpi_id == 'cx_self_service_success' %}
    select
        sessions.session_id,
        coalesce(sessions.requester_type, 'anonymous') as requester_type,
        {{ to_reporting_date('sessions.started_at') }} as started_date,
        case
            when sessions.requester_id is null then sessions.feedback = 'solved'
            else
                not exists (
                    select 1
                    from {{ ref('fct_tickets') }} as tickets
                    where
                        not tickets.is_spam
                        and sessions.requester_id = tickets.requester_id
                        and sessions.requester_type = tickets.requester_type
                        and sessions.started_at < tickets.created_at
                        and {{ hours_between('sessions.started_at', 'tickets.created_at') }}
                        <= {{ var('self_service_window_hours') }}
                )
                and sessions.feedback <> 'not_solved'
        end as is_successful
    from {{ ref('stg_contract__self_service_sessions') }} as sessions
    where
        sessions.quarantine_reason is null
        and (sessions.requester_id is not null or sessions.feedback in ('solved', 'not_solved'))
    {%- else %}
    {{ exceptions.raise_compiler_error('kpi_units: no units for ' ~ kpi_id) }}
    {%- endif %}
{%- endmacro %}

{% macro kpi_unit_segment_types() -%}
    {#- every segment type of kpi_unit_specs(), in a fixed order: fct_kpi_units' columns -#}
    {%- set segment_types = [] -%}
    {%- for spec in kpi_unit_specs().values() -%}
        {%- for segment_type in spec['segments'] -%}
            {%- if segment_type not in segment_types -%}
                {%- do segment_types.append(segment_type) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(segment_types) }}
{%- endmacro %}

{% macro kpi_unit_rows(kpi_id, units) -%}
    {#- fct_kpi_units' rows of one KPI from the relation `units` (its kpi_units) -#}
    {%- set spec = kpi_unit_specs()[kpi_id] -%}
    select
        '{{ kpi_id }}' as kpi_id,
        cast({{ spec['unit_id'] }} as varchar) as unit_id,
        {%- if spec.get('grain_column') %}
        {{ spec['grain_column'] }} as period_grain,
        {%- else %}
        cast(null as varchar) as period_grain,
        {%- endif %}
        {{ spec['date'] }} as unit_date,
        {%- if spec['statistic'] == 'rate' %}
        case when {{ spec['measure'] }} then 1.0 else 0.0 end as measure,
        true as included,
        {%- else %}
        cast({{ spec['measure'] }} as double) as measure,
        {{ spec['measure'] }} is not null as included,
        {%- endif %}
        {%- for segment_type in kpi_unit_segment_types() %}
        {%- if segment_type in spec['segments'] %}
        coalesce(cast({{ spec['segments'][segment_type] }} as varchar), 'unknown')
        {%- else %}
        cast(null as varchar)
        {%- endif %} as segment_{{ segment_type }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ units }}
    {%- if spec.get('unit_grains') %}
    where {{ spec['grain_column'] }} in ('{{ spec['unit_grains'] | join("', '") }}')
    {%- endif %}
{%- endmacro %}
