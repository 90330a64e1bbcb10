with

source as (

    select * from {{ source('landing', '_load_rejects') }}

),

renamed as (

    select
        table_name,
        source_file,
        line_number,
        error_type,
        csv_line,
        error_message,
        _loaded_at

    from source

)

select * from renamed
