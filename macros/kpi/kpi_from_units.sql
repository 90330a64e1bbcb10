{% macro kpi_from_units(kpi_id, units, date_column, segments, statistic, value_column,
    grains=none, grain_column=none, mean_interval=false, denominator=none, n=none,
    defined_when=none, weight=none) -%}
    {#- the CTEs measured, aggregated, spine and final of a per-KPI model, from a CTE `units`
        (one row per eligible unit) and a CTE `periods` (dim_periods).
        statistic: 'mean' (value = sum / n), 'median' (continuous), 'rate' (value_column is a
        boolean; value = true / n, with its 95 % Wilson interval), or 'ratio' (value_column and
        `denominator` are aggregate expressions: value = their quotient where the aggregate
        condition `defined_when` holds; `n` an aggregate count, default the units).
        mean_interval: a mean with its 95 % normal interval, mean ± 1.96 × sample standard
        deviation / √n (n ≥ 2).
        weight ('rate' only): a column of `units` holding how many units a row stands for, so
        that groups of identical units can be given as one row each. -#}
measured as (

    {{ expand_periods_and_segments(units, date_column, segments, grains, grain_column) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        {{ n or ('cast(sum(' ~ weight ~ ') as bigint)' if weight else 'count(*)') }} as unit_count,
        {%- if statistic == 'ratio' %}
        cast({{ value_column }} as double) as numerator_value,
        cast({{ denominator }} as double) as denominator_value,
        {{ defined_when or 'true' }} as is_defined,
        cast(null as double) as statistic_value
        {%- elif statistic == 'rate' and weight %}
        cast(coalesce(sum({{ weight }}) filter (where {{ value_column }}), 0) as double)
            as numerator_value,
        cast(null as double) as statistic_value
        {%- elif statistic == 'rate' %}
        cast(count(*) filter (where {{ value_column }}) as double) as numerator_value,
        cast(null as double) as statistic_value
        {%- elif statistic == 'median' %}
        cast(null as double) as numerator_value,
        {{ median_of(value_column) }} as statistic_value
        {%- else %}
        sum({{ value_column }}) as numerator_value,
        cast(null as double) as statistic_value
        {%- endif %},
        {%- if mean_interval %}
        stddev_samp({{ value_column }}) as spread_value
        {%- else %}
        cast(null as double) as spread_value
        {%- endif %}

    from measured
    group by 1, 2, 3, 4

),

spine as (

    {{ kpi_spine('periods', 'measured', grains) }}

),

final as (

    select
        '{{ kpi_id }}' as kpi_id,
        spine.period_grain,
        spine.period_start,
        spine.segment_type,
        spine.segment_value,
        {%- if statistic == 'median' %}
        case when aggregated.unit_count > 0 then aggregated.statistic_value end as value,
        {%- elif statistic == 'ratio' %}
        case
            when aggregated.is_defined
                then {{ safe_divide('aggregated.numerator_value', 'aggregated.denominator_value') }}
        end as value,
        {%- else %}
        {{ safe_divide('aggregated.numerator_value', 'aggregated.unit_count') }} as value,
        {%- endif %}
        aggregated.numerator_value as numerator,
        {%- if statistic == 'ratio' %}
        coalesce(aggregated.denominator_value, 0) as denominator,
        {%- else %}
        cast(coalesce(aggregated.unit_count, 0) as double) as denominator,
        {%- endif %}
        coalesce(aggregated.unit_count, 0) as n,
        {%- if statistic == 'rate' %}
        {{ wilson_bound('aggregated.numerator_value', 'aggregated.unit_count', 'low') }} as ci_low,
        {{ wilson_bound('aggregated.numerator_value', 'aggregated.unit_count', 'high') }}
            as ci_high
        {%- elif mean_interval %}
        case
            when aggregated.unit_count >= 2
                then aggregated.numerator_value / aggregated.unit_count
                - 1.959963984540054 * aggregated.spread_value / sqrt(aggregated.unit_count)
        end as ci_low,
        case
            when aggregated.unit_count >= 2
                then aggregated.numerator_value / aggregated.unit_count
                + 1.959963984540054 * aggregated.spread_value / sqrt(aggregated.unit_count)
        end as ci_high
        {%- else %}
        cast(null as double) as ci_low,
        cast(null as double) as ci_high
        {%- endif %}

    from spine

    left join aggregated
        on {{ same_period_and_segment('spine', 'aggregated') }}

)
{%- endmacro %}
