{% macro row_as_json(relation_alias) -%}
    {{ return(adapter.dispatch('row_as_json', 'nyckeltal')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_as_json(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro %}

{% macro duckdb__row_as_json(relation_alias) -%}
    {#- the raw row as it landed, kept with quarantined rows -#}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}
