{#- cx_nps: % promoters (9–10) − % detractors (0–6) over customers' latest nps answer per period
    (a customer answering twice in a period counts once, with the later answer), −100…100,
    with its 95 % margin of error: 1.96 × sqrt((p + d − (p − d)²) / n) × 100 (kpi-reference
    §0.11) as ci_low / ci_high. Week, month, quarter; segments all, customer segment,
    country. -#}
with

responses as (

    select * from {{ ref('int_survey_responses_checked') }}
    where
        quarantine_reason is null
        and survey_type = 'nps'
        and respondent_type = 'customer'

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain in ('week', 'month', 'quarter')

),

answers as (

    select
        responses.response_id,
        responses.respondent_id,
        responses.responded_at,
        {{ to_reporting_date('responses.responded_at') }} as responded_date,
        responses.score,
        coalesce(customers.customer_segment, 'unknown') as customer_segment,
        coalesce(customers.country, 'unknown') as country

    from responses

    left join customers
        on responses.respondent_id = customers.customer_id

),

measured as (

    {{ expand_periods_and_segments('answers', 'responded_date', customer_segments(),
        ['week', 'month', 'quarter']) }}

),

latest as (

    select
        *,
        row_number() over (
            partition by period_grain, period_start, segment_type, segment_value, respondent_id
            order by responded_at desc, response_id desc
        ) as answer_rank

    from measured

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
    where answer_rank = 1
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

    {{ kpi_spine('periods', 'measured', ['week', 'month', 'quarter']) }}

),

final as (

    select
        'cx_nps' as kpi_id,
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

select * from final
