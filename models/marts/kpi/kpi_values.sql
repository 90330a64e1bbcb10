{#- the published contract: one row per kpi_id × period_grain × period_start × segment_type ×
    segment_value with its status (published / provisional / withheld) and reasons, decided
    here once, after every check of the run is known (quality_kpi_check_failures) -#}
with

kpi_rows as (

    select * from {{ ref('fct_kpi_values') }}

),

catalog_seed as (

    select * from {{ ref('kpi_catalog') }}

),

completeness_by_table as (

    select * from {{ ref('quality_source_completeness') }}

),

members as (

    {{ logical_source_members() }}

),

completeness as (

    -- a logical source (logical_sources()) is as incomplete as its worst member
    select
        coalesce(members.source_name, completeness_by_table.source_table) as source_table,
        max(completeness_by_table.incomplete_share) as incomplete_share

    from completeness_by_table

    left join members
        on completeness_by_table.source_table = members.member_name

    group by 1

),

{%- set overrides = var('kpi_thresholds', {}) %}

threshold_overrides as (

    -- var kpi_thresholds: {kpi_id: {min_sample: n, max_ci_half_width: x}}
    select
        cast(null as varchar) as kpi_id,
        cast(null as integer) as min_sample,
        cast(null as double) as max_ci_half_width
    {%- for kpi_id, values in overrides.items() %}
    union all
    select
        '{{ kpi_id }}' as kpi_id,
        {{ values.get('min_sample', 'null') }} as min_sample,
        {{ values.get('max_ci_half_width', 'null') }} as max_ci_half_width
    {%- endfor %}

),

catalog as (

    -- the catalogue's thresholds, overridden per KPI by var kpi_thresholds
    select
        catalog_seed.* exclude (min_sample, max_ci_half_width),
        coalesce(threshold_overrides.min_sample, catalog_seed.min_sample) as min_sample,
        coalesce(threshold_overrides.max_ci_half_width, catalog_seed.max_ci_half_width)
            as max_ci_half_width

    from catalog_seed

    left join threshold_overrides
        on catalog_seed.kpi_id = threshold_overrides.kpi_id

),

periods as (

    select * from {{ ref('dim_periods') }}

),

respondents as (

    select * from {{ ref('int_ex_survey_respondents') }}

),

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

check_failures as (

    select * from {{ ref('quality_kpi_check_failures') }}

),

required_sources as (

    select
        kpi_id,
        lookahead_days,
        trim(unnest(string_split(required_sources, ';'))) as source_name
    from catalog

),

kpi_periods as (

    select distinct
        kpi_id,
        period_grain,
        period_start
    from kpi_rows

),

source_checks as (

    select
        kpi_periods.kpi_id,
        kpi_periods.period_grain,
        kpi_periods.period_start,
        required_sources.source_name,
        coalesce(watermarks.is_present, false) as is_present,
        watermarks.watermark_at,
        watermarks.tolerance_hours,
        periods.period_start_at,
        -- the moment from which the period's outcome can no longer change
        periods.period_end_at + to_days(required_sources.lookahead_days) as settled_at,
        completeness.incomplete_share

    from kpi_periods

    inner join required_sources
        on kpi_periods.kpi_id = required_sources.kpi_id

    inner join periods
        on
        kpi_periods.period_grain = periods.period_grain
        and kpi_periods.period_start = periods.period_start

    left join watermarks
        on required_sources.source_name = watermarks.source_name

    left join completeness
        on required_sources.source_name = completeness.source_table

),

period_checks as (

    select
        kpi_id,
        period_grain,
        period_start,
        string_agg(source_name, ', ' order by source_name) filter (where not is_present)
            as absent_sources,
        -- a period that is over (its look-ahead window included) by the run's clock, which the
        -- data stops short of by more than the source's tolerance; the running period, and one
        -- covered up to within the tolerance, are provisional instead
        string_agg(source_name, ', ' order by source_name) filter (
            where is_present
            and watermark_at < settled_at
            and settled_at <= {{ as_of_timestamp() }}
            and {{ hours_between('watermark_at', 'settled_at') }} > tolerance_hours
        ) as stale_sources,
        bool_or(is_present and watermark_at < settled_at) as is_unsettled,
        string_agg(
            source_name || ' ' || cast(round(100 * incomplete_share, 1) as varchar) || '%',
            ', ' order by source_name
        ) filter (
            where incomplete_share > {{ var('completeness_tolerance') }}
        ) as incomplete_sources

    from source_checks
    group by 1, 2, 3

),

checked as (

    select
        kpi_rows.*,
        catalog.unit,
        catalog.target_value,
        catalog.target_operator,
        catalog.min_sample,
        catalog.max_ci_half_width,
        catalog.value_min,
        catalog.value_max,
        catalog.privacy_group_size,
        period_checks.is_unsettled,
        period_checks.absent_sources,
        concat_ws(
            '; ',
            check_failures.lineage_reasons,
            case
                when period_checks.absent_sources is not null
                    then
                        'not_available: not available from source ('
                        || period_checks.absent_sources || ')'
            end,
            case
                when period_checks.stale_sources is not null
                    then
                        'freshness: ' || period_checks.stale_sources
                        || ' not loaded up to the period''s end'
            end,
            case
                when period_checks.incomplete_sources is not null
                    then
                        'completeness: rows missing a required field in '
                        || period_checks.incomplete_sources || ' > '
                        || cast(100 * {{ var('completeness_tolerance') }} as varchar) || '%'
            end,
            case
                when period_checks.absent_sources is null and kpi_rows.n < catalog.min_sample
                    then
                        'min_sample: n=' || cast(kpi_rows.n as varchar)
                        || ' < ' || cast(catalog.min_sample as varchar)
            end,
            case
                when
                    catalog.max_ci_half_width is not null
                    and (kpi_rows.ci_high - kpi_rows.ci_low) / 2 > catalog.max_ci_half_width
                    then
                        'precision: 95% half-width '
                        || cast(round((kpi_rows.ci_high - kpi_rows.ci_low) / 2, 3) as varchar)
                        || ' > ' || cast(catalog.max_ci_half_width as varchar)
            end,
            case
                when
                    period_checks.absent_sources is null
                    and kpi_rows.n >= catalog.min_sample and (
                        kpi_rows.value is null
                        or not isfinite(kpi_rows.value)
                        or kpi_rows.value < catalog.value_min
                        or kpi_rows.value > catalog.value_max
                    )
                    then 'validity: value missing, not finite or out of range'
            end
        ) as reason_text

    from kpi_rows

    inner join catalog
        on kpi_rows.kpi_id = catalog.kpi_id

    inner join period_checks
        on
        kpi_rows.kpi_id = period_checks.kpi_id
        and kpi_rows.period_grain = period_checks.period_grain
        and kpi_rows.period_start = period_checks.period_start

    left join check_failures
        on
        kpi_rows.kpi_id = check_failures.kpi_id
        and kpi_rows.period_grain = check_failures.period_grain
        and kpi_rows.period_start = check_failures.period_start

),

sized as (

    -- HR privacy (the catalogue's privacy_group_size): a cell's size in people (respondents,
    -- or the average headcount) and in n (what a reader can subtract: answers, or the average
    -- headcount)
    select
        checked.*,
        checked.privacy_group_size is not null as is_hr_cell,
        case
            when checked.privacy_group_size = 'headcount' then coalesce(checked.denominator, 0)
            else coalesce(respondents.respondent_count, 0)
        end as people_size,
        case
            when checked.privacy_group_size = 'headcount' then coalesce(checked.denominator, 0)
            else checked.n
        end as subtractable_size

    from checked

    left join respondents
        on
        checked.kpi_id = respondents.kpi_id
        and {{ same_period_and_segment('checked', 'respondents') }}

),

small_groups as (

    -- primary suppression: HR cells of fewer than var privacy_min_group people
    select
        *,
        is_hr_cell and people_size < {{ var('privacy_min_group') }} as is_small_group

    from sized

),

cell_totals as (

    -- the `all` cell of each HR KPI, grain and period, and its publishable cells per segment
    -- type (not small, no other reason), smallest first
    select
        *,
        max(case when segment_type = 'all' then people_size end) over (
            partition by kpi_id, period_grain, period_start
        ) as all_people,
        max(case when segment_type = 'all' then subtractable_size end) over (
            partition by kpi_id, period_grain, period_start
        ) as all_subtractable,
        not is_small_group and reason_text = '' and segment_type <> 'all' as is_publishable_cell

    from small_groups
    where is_hr_cell

),

residuals as (

    -- what `all` minus the publishable cells leaves: the people in withheld cells
    select
        *,
        all_people - coalesce(sum(case when is_publishable_cell then people_size end) over (
            partition by kpi_id, period_grain, period_start, segment_type
        ), 0) as residual_people,
        all_subtractable - coalesce(
            sum(case when is_publishable_cell then subtractable_size end) over (
                partition by kpi_id, period_grain, period_start, segment_type
            ), 0
        ) as residual_subtractable,
        sum(case when is_publishable_cell then people_size end) over (
            partition by kpi_id, period_grain, period_start, segment_type, is_publishable_cell
            order by people_size, subtractable_size, segment_value
            rows between unbounded preceding and current row
        ) as cumulative_people,
        sum(case when is_publishable_cell then subtractable_size end) over (
            partition by kpi_id, period_grain, period_start, segment_type, is_publishable_cell
            order by people_size, subtractable_size, segment_value
            rows between unbounded preceding and current row
        ) as cumulative_subtractable

    from cell_totals

),

complements as (

    -- complementary suppression: while the residual is neither 0 nor at least the minimum
    -- group, the smallest non-empty publishable siblings are withheld too, as few as make it
    -- large enough (a cell without respondents protects nobody and is never one of them);
    -- if even all of them do not, every cell of the segment type is withheld
    select
        *,
        (residual_people = 0 or residual_people >= {{ var('privacy_min_group') }})
        and (
            residual_subtractable = 0
            or residual_subtractable >= {{ var('privacy_min_group') }}
        ) as is_residual_safe,
        (
            residual_people + cumulative_people >= {{ var('privacy_min_group') }}
            and residual_subtractable + cumulative_subtractable
            >= {{ var('privacy_min_group') }}
        ) as is_enough_with_this_cell

    from residuals

),

suppression_ranks as (

    select
        *,
        min(case when is_publishable_cell and is_enough_with_this_cell then cumulative_people end)
            over (partition by kpi_id, period_grain, period_start, segment_type)
            as people_needed

    from complements

),

hr_suppression as (

    select
        kpi_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        is_publishable_cell
        and not is_residual_safe
        and (people_needed is null or cumulative_people <= people_needed)
            as is_complementary

    from suppression_ranks

),

suppressed as (

    select
        small_groups.*,
        small_groups.is_small_group
        or coalesce(hr_suppression.is_complementary, false) as is_privacy_withheld

    from small_groups

    left join hr_suppression
        on
        small_groups.kpi_id = hr_suppression.kpi_id
        and {{ same_period_and_segment('small_groups', 'hr_suppression') }}

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
