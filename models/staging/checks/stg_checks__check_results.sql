{#- the run's check results (grain: check_id × kpi_id × failing_day), typed -#}
with

source as (

    select * from {{ source('checks', 'check_results') }}

),

renamed as (

    select
        check_id,
        kpi_id,
        check_name,
        check_kind,
        check_scope,
        check_status,
        detail,
        check_status in ('fail', 'error') as is_failed,
        cast(failing_day as date) as failing_day

    from source

)

select * from renamed
