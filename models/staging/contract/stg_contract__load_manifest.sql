with

source as (

    select * from {{ source('landing', '_load_manifest') }}

),

renamed as (

    select
        table_name,
        source_file,
        is_present,
        row_count,
        rejected_row_count,
        loaded_at,
        file_modified_at

    from source

)

select * from renamed
