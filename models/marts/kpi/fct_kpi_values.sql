{#- every KPI model's rows in one long table (a deliberate union: the known exception to the
    "no model with seven or more parents" rule); statuses are added in kpi_values -#}
with

{% for model in kpi_models() %}
    {{ model }} as (

        select * from {{ ref(model) }}

    ),

{% endfor %}
unioned as (

    {% for model in kpi_models() %}
        select
            kpi_id,
            period_grain,
            period_start,
            segment_type,
            segment_value,
            value,
            numerator,
            denominator,
            n,
            ci_low,
            ci_high
        from {{ model }}
        {% if not loop.last %}
            union all
        {% endif %}
    {% endfor %}

)

select * from unioned
