with

source as (

    select * from {{ source('landing', '_landing_notes') }}

),

renamed as (

    select
        kind,
        source_file,
        detail,
        is_warning,
        _loaded_at as loaded_at

    from source

)

select * from renamed
