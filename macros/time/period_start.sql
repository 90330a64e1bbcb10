{% macro period_start(grain_column, date_column) -%}
    {#- first day of the day / ISO week (Monday) / month / quarter holding the date -#}
    case {{ grain_column }}
        when 'day' then cast({{ date_column }} as date)
        when 'week' then cast({{ dbt.date_trunc('week', date_column) }} as date)
        when 'month' then cast({{ dbt.date_trunc('month', date_column) }} as date)
        when 'quarter' then cast({{ dbt.date_trunc('quarter', date_column) }} as date)
    end
{%- endmacro %}
