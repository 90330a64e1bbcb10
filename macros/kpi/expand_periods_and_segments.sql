{% macro expand_periods_and_segments(relation, date_column, segments, grains=none,
    grain_column=none) -%}
    {#- each unit once per period grain and once per segment type it belongs to.
        segments: {segment_type: column}; `all` is always added.
        grains: the grains the KPI exists at (default day, week, month, quarter).
        grain_column: units that already belong to one period (a column naming its grain, with
        date_column its start) are not expanded over grains. -#}
    {%- set grains = grains or ['day', 'week', 'month', 'quarter'] -%}
    select
        {%- if grain_column %}
        {{ relation }}.{{ grain_column }} as period_grain,
        {{ relation }}.{{ date_column }} as period_start,
        {%- else %}
        grain_values.period_grain,
        {{ period_start('grain_values.period_grain', relation ~ '.' ~ date_column) }}
            as period_start,
        {%- endif %}
        segment_types.segment_type,
        case segment_types.segment_type
            when 'all' then 'all'
            {%- for segment_type, column in segments.items() %}
            when '{{ segment_type }}' then coalesce(cast({{ relation }}.{{ column }} as varchar), 'unknown')
            {%- endfor %}
        end as segment_value,
        {{ relation }}.*
    from {{ relation }}
    {%- if not grain_column %}
    cross join (
        values {% for grain in grains %}('{{ grain }}'){{ ", " if not loop.last }}{% endfor %}
    ) as grain_values (period_grain)
    {%- endif %}
    cross join (
        values ('all'){% for segment_type in segments %}, ('{{ segment_type }}'){% endfor %}
    ) as segment_types (segment_type)
{%- endmacro %}
