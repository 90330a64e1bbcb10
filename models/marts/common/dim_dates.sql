{#- one row per local date of the reporting period range (grain: date_day): ISO week, month,
    quarter and whether the default calendar is open that day -#}
with

periods as (

    select * from {{ ref('dim_periods') }}
    where period_grain = 'day'

),

holidays as (

    select * from {{ ref('stg_contract__holidays') }}
    where quarantine_reason is null and calendar_id = 'default'

),

opening_hours as (

    select distinct iso_weekday from {{ ref('stg_contract__business_hours') }}
    where quarantine_reason is null and calendar_id = 'default'

),

final as (

    select
        periods.period_start as date_day,
        {{ iso_weekday('periods.period_start') }} as iso_weekday,
        cast({{ dbt.date_trunc('week', 'periods.period_start') }} as date) as week_start,
        cast({{ dbt.date_trunc('month', 'periods.period_start') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'periods.period_start') }} as date) as quarter_start,
        holidays.holiday_name,
        opening_hours.iso_weekday is not null and holidays.holiday_date is null
            as is_business_day

    from periods

    left join holidays
        on periods.period_start = holidays.holiday_date

    left join opening_hours
        on {{ iso_weekday('periods.period_start') }} = opening_hours.iso_weekday

)

select * from final
