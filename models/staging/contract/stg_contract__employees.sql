with

source as (

    select
        *,
        {{ key_rank(['employee_id']) }} as _key_rank
    from {{ source('landing', 'employees') }}

),

parsed as (

    select
        -- ids
        {{ pseudonymize('employee_id') }} as employee_id,

        -- strings
        {{ blank_to_null('department') }} as department,
        {{ blank_to_null('location') }} as location,
        {{ blank_to_null('job_family') }} as job_family,

        -- enums
        {{ parse_enum('termination_reason', ['voluntary', 'involuntary', 'retirement', 'other']) }}
            as termination_reason,

        -- dates
        {{ parse_date('hire_date') }} as hire_date,
        {{ parse_date('termination_date') }} as termination_date,

        -- raw text the checks need
        source.termination_date as termination_date_text,
        source.termination_reason as termination_reason_text,

        -- lineage
        source._row_number,
        source._key_rank,
        source._source_file,
        source._loaded_at,
        source as raw_row

    from source

),

checked as (

    select
        *,
        {{ first_failure([
            ('employee_id is null', 'missing employee_id'),
            (duplicate_key(['employee_id']),
                'duplicate employee_id'),
            ('hire_date is null', 'missing or unparseable hire_date'),
            (is_unparseable('termination_date_text', 'termination_date'),
                'unparseable termination_date'),
            (is_unparseable('termination_reason_text', 'termination_reason'),
                'unknown termination_reason'),
            ('termination_date < hire_date', 'termination_date before hire_date'),
        ] + plausibility_checks('landing', 'employees')) }} as quarantine_reason

    from parsed

),

final as (

    select
        employee_id,
        department,
        location,
        job_family,
        hire_date,
        termination_date,
        termination_reason,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
