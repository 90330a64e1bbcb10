{% macro next_period_start(grain_column, period_start_column) -%}
    {#- the first day of the period after the one starting on period_start_column -#}
    case {{ grain_column }}
        when 'day' then cast({{ dbt.dateadd('day', 1, period_start_column) }} as date)
        when 'week' then cast({{ dbt.dateadd('day', 7, period_start_column) }} as date)
        when 'month' then cast({{ dbt.dateadd('month', 1, period_start_column) }} as date)
        when 'quarter' then cast({{ dbt.dateadd('month', 3, period_start_column) }} as date)
    end
{%- endmacro %}
