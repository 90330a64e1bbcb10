{#- one row per period grain and period start, from the first event of any source to the newest
    watermark; periods are cut at local midnight in the reporting time zone -#}
with

watermarks as (

    select * from {{ ref('int_source_watermarks') }}

),

extent as (

    select
        {{ to_reporting_date('min(first_event_at)') }} as first_date,
        {{ to_reporting_date('max(watermark_at)') }} as last_date

    from watermarks
    where is_present and watermark_kind = 'event'

),

loaded as (

    select max(loaded_at) as loaded_at from watermarks

),

bounded as (

    -- without any event source (e.g. HR data only) the last two years up to the load
    select
        coalesce(
            extent.first_date,
            cast({{ dbt.dateadd('day', -730, 'loaded.loaded_at') }} as date)
        ) as first_date,
        coalesce(extent.last_date, cast(loaded.loaded_at as date)) as last_date

    from extent

    cross join loaded

),

days as (

    select cast(unnest({{ day_series('first_date', 'last_date') }}) as date) as day_start
    from bounded

),

grains as (

    select 'day' as grain_name
    union all
    select 'week' as grain_name
    union all
    select 'month' as grain_name
    union all
    select 'quarter' as grain_name

),

periods as (

    select distinct
        grains.grain_name as period_grain,
        {{ period_start('grains.grain_name', 'days.day_start') }} as period_start

    from days

    cross join grains

),

final as (

    select
        period_grain,
        period_start,
        {{ next_period_start('period_grain', 'period_start') }} as next_period_start

    from periods

)

select
    period_grain,
    period_start,
    next_period_start,
    {{ reporting_midnight_utc('period_start') }} as period_start_at,
    {{ reporting_midnight_utc('next_period_start') }} as period_end_at
from final
