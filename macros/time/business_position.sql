{% macro business_position(relation, timestamp_column, calendar_column, output_column) -%}
    {{ return(adapter.dispatch('business_position', 'nyckeltal')(
        relation, timestamp_column, calendar_column, output_column)) }}
{%- endmacro %}

{% macro duckdb__business_position(relation, timestamp_column, calendar_column, output_column) -%}
    {#- every row of `relation` plus `output_column`: the business seconds of its calendar from
        the calendar's first opening up to the timestamp. Business time between a and b is
        position(b) - position(a). One ASOF join on int_business_calendar_intervals: the last
        opening interval that starts at or before the timestamp. -#}
    select
        {{ relation }}.*,
        case
            when {{ relation }}.{{ timestamp_column }} is null then null
            when calendar_intervals.opens_at is null then 0
            else calendar_intervals.seconds_before_open + least(
                epoch({{ relation }}.{{ timestamp_column }}) - epoch(calendar_intervals.opens_at),
                calendar_intervals.open_seconds
            )
        end as {{ output_column }}
    from {{ relation }}
    asof left join {{ ref('int_business_calendar_intervals') }} as calendar_intervals
        on
            {{ relation }}.{{ calendar_column }} = calendar_intervals.calendar_id
            and {{ relation }}.{{ timestamp_column }} >= calendar_intervals.opens_at
{%- endmacro %}

{% macro default__business_position(relation, timestamp_column, calendar_column, output_column) -%}
    {#- portable version: a range join on the opening intervals (slower than DuckDB's ASOF) -#}
    select
        {{ relation }}.*,
        case
            when {{ relation }}.{{ timestamp_column }} is null then null
            else coalesce(max(
                calendar_intervals.seconds_before_open + least(
                    unix_timestamp({{ relation }}.{{ timestamp_column }})
                    - unix_timestamp(calendar_intervals.opens_at),
                    calendar_intervals.open_seconds
                )
            ), 0)
        end as {{ output_column }}
    from {{ relation }}
    left join {{ ref('int_business_calendar_intervals') }} as calendar_intervals
        on
            {{ relation }}.{{ calendar_column }} = calendar_intervals.calendar_id
            and {{ relation }}.{{ timestamp_column }} >= calendar_intervals.opens_at
    group by all
{%- endmacro %}
