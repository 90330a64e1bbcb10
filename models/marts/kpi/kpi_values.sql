{#- the published contract: one row per kpi_id × period_grain × period_start × segment_type ×
    segment_value with its status (published / provisional / withheld) and reasons, decided
    here once, after every check of the run is known: the reasons of int_kpi_values_checked,
    the privacy suppression of int_kpi_privacy_suppressed -#}
with

checked as (

    select * from {{ ref('int_kpi_values_checked') }}

),

privacy as (

    select * from {{ ref('int_kpi_privacy_suppressed') }}

),

suppressed as (

    select
        checked.*,
        coalesce(privacy.is_privacy_withheld, false) as is_privacy_withheld

    from checked

    left join privacy
        on {{ same_kpi_cell('checked', 'privacy') }}

),

statused as (

    select
        * exclude (reason_text),
        case
            -- other reasons (min_sample: n=…) would reveal the group's size; where a source
            -- did not land, that is the reason to give (the counts stay hidden all the same)
            when is_privacy_withheld and absent_sources is not null
                then 'not_available: not available from source (' || absent_sources || ')'
            when is_privacy_withheld
                then 'small_group: too few people in this group to publish'
            else reason_text
        end as reason_text,
        case
            when is_privacy_withheld or reason_text <> '' then 'withheld'
            when is_unsettled then 'provisional'
            else 'published'
        end as status

    from suppressed

),

final as (

    select
        kpi_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        -- nothing withheld can be recovered: no numerator or denominator on a withheld row,
        -- and withheld for privacy, no count that could reveal the group's size either
        case when status <> 'withheld' then numerator end as numerator,
        case when status <> 'withheld' then denominator end as denominator,
        case when not is_privacy_withheld then n end as n,
        unit,
        status,
        target_value as target,
        case when status <> 'withheld' then value end as value,
        case
            when reason_text <> '' then reason_text
            when is_unsettled then 'provisional: the period or its look-ahead window is not over'
        end as reasons,
        case when status <> 'withheld' then ci_low end as ci_low,
        case when status <> 'withheld' then ci_high end as ci_high,
        case
            when status = 'withheld' or target_value is null then null
            when target_operator = '<=' then value <= target_value
            else value >= target_value
        end as target_met,
        lag(case when status <> 'withheld' then value end) over (
            partition by kpi_id, period_grain, segment_type, segment_value
            order by period_start
        ) as previous_value

    from statused

)

select * from final
