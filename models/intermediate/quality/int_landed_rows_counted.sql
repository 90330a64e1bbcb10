{#- checked rows of every landed table counted once (grain: source_table × period_start):
    rows and staged rows per reporting-time-zone month of each row's own timestamp (event
    tables), NULL for a row without a usable timestamp and for every row of a reference table.
    Row accounting sums it per table; the quarantine share reads it per month. A table without
    rows has no row here. -#}
with

counted as (

    {% for item in landed_models() %}
        {%- if item.at is not defined %}
            {%- set month_start = 'cast(null as date)' %}
        {%- elif item.at.endswith('_at') %}
            {%- set month_start = 'cast(' ~ dbt.date_trunc('month', to_reporting_date(item.at))
                ~ ' as date)' %}
        {%- else %}
            {%- set month_start = 'cast(' ~ dbt.date_trunc('month', item.at) ~ ' as date)' %}
        {%- endif %}
        select
            '{{ item.table }}' as source_table,
            {{ month_start }} as period_start,
            count(*) as checked_row_count,
            count(*) filter (where quarantine_reason is null) as staged_row_count
        from {{ ref(item.model) }}
        group by 1, 2
        {% if not loop.last %}
            union all
        {% endif %}
    {% endfor %}

)

select * from counted
