{#- the EX turnover mart for the whole organisation (grain: period_grain × period_start; month and
    quarter): average headcount, leavers by reason, the period's turnover rate, the voluntary and
    involuntary rates and the annualised rate (× 12 for a month, × 4 for a quarter). Published
    for segment `all` only, so the small-group rule of kpi_values stays the one place that
    decides what department or location figures may be shown; withheld below
    var privacy_min_group people. -#}
with

employee_periods as (

    select * from {{ ref('fct_employee_periods') }}
    where period_grain in ('month', 'quarter')

),

aggregated as (

    select
        period_grain,
        period_start,
        {{ average_headcount() }} as average_headcount,
        count(*) filter (where is_leaver) as leaver_count,
        count(*) filter (where is_leaver and termination_reason = 'voluntary')
            as voluntary_leaver_count,
        count(*) filter (where is_leaver and termination_reason = 'involuntary')
            as involuntary_leaver_count

    from employee_periods
    group by 1, 2

),

final as (

    select
        period_grain,
        period_start,
        average_headcount,
        leaver_count,
        voluntary_leaver_count,
        involuntary_leaver_count,
        {{ safe_divide('leaver_count', 'average_headcount') }} as turnover_rate,
        {{ safe_divide('voluntary_leaver_count', 'average_headcount') }}
            as voluntary_turnover_rate,
        {{ safe_divide('involuntary_leaver_count', 'average_headcount') }}
            as involuntary_turnover_rate,
        {{ safe_divide('leaver_count', 'average_headcount') }}
        * case period_grain when 'month' then 12 else 4 end as annualised_turnover_rate

    from aggregated
    where average_headcount >= {{ var('privacy_min_group') }}

)

select * from final
