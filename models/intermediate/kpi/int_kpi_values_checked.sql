{#- every KPI row (grain: kpi_id × period_grain × period_start × segment_type ×
    segment_value) with its thresholds and every reason it cannot be published except privacy:
    the run's failed checks (lineage), absent, stale or incomplete sources, sample size,
    precision and validity, as `reason_text` ('' when there is none) -#}
with

kpi_rows as (

    select * from {{ ref('fct_kpi_values') }}

),

catalog as (

    select * from {{ ref('int_kpi_thresholds') }}

),

period_checks as (

    select * from {{ ref('int_kpi_period_checks') }}

),

check_failures as (

    select * from {{ ref('quality_kpi_check_failures') }}

),

targets as (

    select * from {{ ref('int_kpi_targets') }}

),

final as (

    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.segment_type,
        kpi_rows.segment_value,
        kpi_rows.value,
        kpi_rows.numerator,
        kpi_rows.denominator,
        kpi_rows.n,
        kpi_rows.ci_low,
        kpi_rows.ci_high,
        catalog.unit,
        targets.target_value,
        targets.target_operator,
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

    inner join targets
        on {{ same_kpi_cell('kpi_rows', 'targets') }}

    left join check_failures
        on
        kpi_rows.kpi_id = check_failures.kpi_id
        and kpi_rows.period_grain = check_failures.period_grain
        and kpi_rows.period_start = check_failures.period_start

)

select * from final
