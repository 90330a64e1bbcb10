{#- one row per employment (grain: employee_id, pseudonymised): department, location, hire and
    termination. Never published: individual HR rows stay in the build database. -#}
with

employees as (

    select * from {{ ref('stg_contract__employees') }}
    where quarantine_reason is null

),

final as (

    select
        employee_id,
        coalesce(department, 'unknown') as department,
        coalesce(location, 'unknown') as location,
        hire_date,
        termination_date,
        termination_reason

    from employees

)

select * from final
