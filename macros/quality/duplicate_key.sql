{% macro key_rank(columns, expressions={}) -%}
    {#- a landed row's rank among the rows with its key (columns), by _row_number: 1 for the
        first. Computed on the raw rows, before they are parsed: the window then carries the
        raw columns only, not the parsed ones and the raw-row record besides (at 10M events
        that was 4 times the spill and 40 % more time). A key column is compared as its
        trimmed text (an id's pseudonym is a function of it), or as `expressions[column]`,
        the expression that parses it (dates, enums). -#}
    row_number() over (
        partition by
        {%- for column in columns %}
            {{ expressions.get(column, blank_to_null(column)) }}{{ ',' if not loop.last }}
        {%- endfor %}
        order by _row_number
    )
{%- endmacro %}

{% macro duplicate_key(columns, relation='parsed') -%}
    {#- true for a row of relation whose key (columns) an earlier row of the table (by
        _row_number) already has — `_key_rank`, from key_rank over the same columns, is
        above 1 — and in an incremental build, whose new rows come after every staged one,
        also when a row staged by an earlier build has it -#}
    (
        {{ relation }}._key_rank > 1
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
