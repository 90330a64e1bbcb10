{#- the KPI catalogue as published (grain: kpi_id): the seed's SMART entry with its baseline
    measured: the quarter named by baseline_period ('YYYY-Qn'), or for
    'first_published_quarter' the first quarter whose unsegmented value was published -#}
with

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

quarters as (

    select
        kpi_id,
        period_start,
        value,
        status

    from kpi_values
    where period_grain = 'quarter' and segment_type = 'all'

),

named_quarters as (

    select
        kpi_id,
        make_date(
            cast(substring(baseline_period, 1, 4) as integer),
            3 * cast(substring(baseline_period, 7, 1) as integer) - 2,
            1
        ) as baseline_period_start

    from catalog
    where baseline_period like '____-Q_'

),

first_published as (

    select
        kpi_id,
        min(period_start) as baseline_period_start

    from quarters
    where status = 'published'
    group by 1

),

baselines as (

    select
        -- every catalogue column passes through: a column added to the seed is published
        catalog.*,
        coalesce(named_quarters.baseline_period_start, first_published.baseline_period_start)
            as baseline_period_start

    from catalog

    left join named_quarters
        on catalog.kpi_id = named_quarters.kpi_id

    left join first_published
        on
        catalog.kpi_id = first_published.kpi_id
        and catalog.baseline_period = 'first_published_quarter'

),

final as (

    select
        -- every catalogue column passes through: a column added to the seed is published
        catalog.*,
        baselines.baseline_period_start,
        quarters.value as baseline_value,
        coalesce(quarters.status, 'not_available') as baseline_status

    from catalog

    inner join baselines
        on catalog.kpi_id = baselines.kpi_id

    left join quarters
        on
        baselines.kpi_id = quarters.kpi_id
        and baselines.baseline_period_start = quarters.period_start

)

select * from final  -- noqa: AM04
