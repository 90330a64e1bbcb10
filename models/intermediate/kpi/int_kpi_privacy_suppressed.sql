{#- HR privacy for the KPI rows of KPIs with a privacy_group_size in the catalogue (grain:
    kpi_id × period_grain × period_start × segment_type × segment_value): primary suppression
    of cells with fewer than var privacy_min_group people, then complementary suppression so
    that `all` minus the publishable cells of a segment type leaves 0 or at least that many
    people (and answers) -#}
with

checked as (

    select * from {{ ref('int_kpi_values_checked') }}
    where privacy_group_size is not null

),

respondents as (

    select * from {{ ref('int_ex_survey_respondents') }}

),

sized as (

    -- HR privacy (the catalogue's privacy_group_size): a cell's size in people (respondents,
    -- or the average headcount) and in n (what a reader can subtract: answers, or the average
    -- headcount)
    select
        checked.*,
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
        on {{ same_kpi_cell('checked', 'respondents') }}

),

small_groups as (

    -- primary suppression: HR cells of fewer than var privacy_min_group people
    select
        *,
        people_size < {{ var('privacy_min_group') }} as is_small_group

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

final as (

    select
        small_groups.kpi_id,
        small_groups.period_grain,
        small_groups.period_start,
        small_groups.segment_type,
        small_groups.segment_value,
        small_groups.is_small_group,
        coalesce(hr_suppression.is_complementary, false) as is_complementary,
        small_groups.is_small_group
        or coalesce(hr_suppression.is_complementary, false) as is_privacy_withheld

    from small_groups

    left join hr_suppression
        on {{ same_kpi_cell('small_groups', 'hr_suppression') }}

)

select * from final
