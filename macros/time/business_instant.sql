{% macro business_instant(relation, position_column, calendar_column, output_column) -%}
    {{ return(adapter.dispatch('business_instant', 'nyckeltal')(
        relation, position_column, calendar_column, output_column)) }}
{%- endmacro %}

{% macro duckdb__business_instant(relation, position_column, calendar_column, output_column) -%}
    {#- the inverse of business_position: the UTC instant at which a calendar's business clock
        reaches `position_column` seconds (e.g. when an SLA target is breached) -#}
    select
        {{ relation }}.*,
        case
            when {{ relation }}.{{ position_column }} is null then null
            else calendar_intervals.opens_at + to_microseconds(cast(round(
                ({{ relation }}.{{ position_column }} - calendar_intervals.seconds_before_open)
                * 1000000
            ) as bigint))
        end as {{ output_column }}
    from {{ relation }}
    asof left join {{ ref('int_business_calendar_intervals') }} as calendar_intervals
        on
            {{ relation }}.{{ calendar_column }} = calendar_intervals.calendar_id
            and {{ relation }}.{{ position_column }} > calendar_intervals.seconds_before_open
{%- endmacro %}
