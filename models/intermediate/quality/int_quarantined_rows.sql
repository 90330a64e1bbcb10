{#- every row that did not pass staging, from every contract table, with its reason and the raw
    values as they landed; stays in the build database (raw values may hold identifiers) -#}
with

{% for item in landed_models() %}
    {{ item.table }}_quarantined as (

        select
            '{{ item.table }}' as source_table,
            _source_file as source_file,
            _row_number as row_number,
            cast({{ item.key }} as varchar) as record_key,
            quarantine_reason,
            raw_values,
            _loaded_at as loaded_at

        from {{ ref(item.model) }}
        where quarantine_reason is not null

    ),

{% endfor %}
load_rejects as (

    select
        table_name as source_table,
        source_file,
        line_number as row_number,
        cast(null as varchar) as record_key,
        'malformed CSV line: ' || lower(error_type) as quarantine_reason,
        csv_line as raw_values,
        _loaded_at as loaded_at

    from {{ ref('stg_contract__load_rejects') }}

),

unioned as (

    {% for item in landed_models() %}
        select * from {{ item.table }}_quarantined
        union all
    {% endfor %}
    select * from load_rejects

)

select * from unioned
