{% macro landing_or_seed(table_name, columns) -%}
    {#- a reference table: the landing file's rows when one landed, else the seed's rows -#}
    select
        {% for column in columns -%}
        {{ column }},
        {% endfor -%}
        _row_number,
        _source_file,
        _loaded_at
    from {{ source('landing', table_name) }}

    union all

    select
        {% for column in columns -%}
        cast({{ column }} as varchar) as {{ column }},
        {% endfor -%}
        row_number() over (order by {{ columns | join(', ') }}) as _row_number,
        'seeds/{{ table_name }}.csv' as _source_file,
        cast(null as timestamp) as _loaded_at
    from {{ ref(table_name) }}
    where not exists (select 1 from {{ source('landing', table_name) }})
{%- endmacro %}
