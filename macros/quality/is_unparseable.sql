{% macro is_unparseable(raw_column, parsed_expression) -%}
    ({{ blank_to_null(raw_column) }} is not null and ({{ parsed_expression }}) is null)
{%- endmacro %}
