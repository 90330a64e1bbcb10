{% macro duplicate_key(columns, relation='parsed') -%}
    {#- true for a row of relation whose key (columns) an earlier row of the table (by
        _row_number) already has; in an incremental build, whose new rows come after every
        staged one, also when a row staged by an earlier build has it -#}
    (
        row_number() over (partition by {{ columns | join(', ') }} order by _row_number) > 1
        {%- if incremental_build() %}
            or exists (
                select 1 from {{ this }} as staged
                where
                    {%- for column in columns %}
                        {{ 'and ' if not loop.first }}staged.{{ column }} = {{ relation }}.{{ column }}
                    {%- endfor %}
            )
        {%- endif %}
    )
{%- endmacro %}
