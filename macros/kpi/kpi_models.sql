{% macro kpi_models() -%}
    {#- the per-KPI models that fct_kpi_values unions; each has the shared KPI column shape -#}
    {{ return([
        'fct_kpi_itsm_frt',
        'fct_kpi_itsm_afrt',
        'fct_kpi_itsm_fcr',
        'fct_kpi_itsm_mttr',
        'fct_kpi_itsm_reopen_rate',
        'fct_kpi_itsm_sla_compliance',
        'fct_kpi_itsm_change_success_rate',
        'fct_kpi_itsm_problem_resolution_time',
        'fct_kpi_itsm_request_fulfillment_time',
        'fct_kpi_itsm_cost_per_ticket',
        'fct_kpi_itsm_csat',
        'fct_kpi_itsm_escalation_rate',
        'fct_kpi_itsm_avg_response_time',
        'fct_kpi_cx_nps',
        'fct_kpi_cx_ces',
        'fct_kpi_cx_frt',
        'fct_kpi_cx_clv',
        'fct_kpi_cx_churn_rate',
        'fct_kpi_cx_csat',
        'fct_kpi_cx_art',
        'fct_kpi_cx_self_service_success',
    ]) }}
{%- endmacro %}
