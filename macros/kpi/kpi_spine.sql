{% macro kpi_spine(periods, measured, grains=none) -%}
    {#- every period of the KPI's grains × every segment value seen in any period, so a period
        without eligible units still has a row (with no value) -#}
    {%- set grains = grains or ['day', 'week', 'month', 'quarter'] -%}
    select
        {{ periods }}.period_grain,
        {{ periods }}.period_start,
        members.segment_type,
        members.segment_value
    from {{ periods }}
    inner join (
        select distinct period_grain, segment_type, segment_value from {{ measured }}
        union
        select period_grain, 'all' as segment_type, 'all' as segment_value
        from (
            values {% for grain in grains %}('{{ grain }}'){{ ", " if not loop.last }}{% endfor %}
        ) as grain_values (period_grain)
    ) as members
        on {{ periods }}.period_grain = members.period_grain
{%- endmacro %}
