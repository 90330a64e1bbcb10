{% macro nps_from_answers(kpi_id, answers, segments, grains) -%}
    {#- the CTEs of an NPS-type KPI from `answers` (respondent_id, responded_at, responded_date,
        response_id, score, segment columns) and `periods`: % promoters (9–10) − % detractors
        (0–6) over each respondent's latest answer per period, with the 95 % margin of error
        1.96 × sqrt((p + d − (p − d)²) / n) × 100 as ci_low / ci_high. -#}
measured as (

    {{ expand_periods_and_segments(answers, 'responded_date', segments, grains) }}

),

latest as (

    -- each respondent's latest answer in the period and segment
    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        respondent_id,
        {{ last_by('score', ['responded_at', 'response_id']) }} as score

    from measured
    group by 1, 2, 3, 4, 5

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as respondent_count,
        {{ safe_divide('count(*) filter (where score >= 9)', 'count(*)') }} as promoter_share,
        {{ safe_divide('count(*) filter (where score <= 6)', 'count(*)') }} as detractor_share

    from latest
    group by 1, 2, 3, 4

),

scored as (

    select
        *,
        100 * (promoter_share - detractor_share) as nps,
        1.959963984540054 * 100 * sqrt(
            (promoter_share + detractor_share - pow(promoter_share - detractor_share, 2))
            / respondent_count
        ) as margin_of_error

    from aggregated

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
        scored.nps as value,
        scored.promoter_share - scored.detractor_share as numerator,
        cast(coalesce(scored.respondent_count, 0) as double) as denominator,
        coalesce(scored.respondent_count, 0) as n,
        scored.nps - scored.margin_of_error as ci_low,
        scored.nps + scored.margin_of_error as ci_high

    from spine

    left join scored
        on {{ same_period_and_segment('spine', 'scored') }}

)
{%- endmacro %}
