{% macro pseudonymize(column) -%}
    {{ return(adapter.dispatch('pseudonymize', 'nyckeltal')(column)) }}
{%- endmacro %}

{% macro default__pseudonymize(column) -%}
    case
        when {{ blank_to_null(column) }} is not null
            then sha2(concat('{{ var("pseudonymization_key") }}', '|', {{ blank_to_null(column) }}), 256)
    end
{%- endmacro %}

{% macro duckdb__pseudonymize(column) -%}
    {#- keyed hash of a person identifier: joins keep working, the raw id never leaves staging -#}
    case
        when {{ blank_to_null(column) }} is not null
            then sha256(concat('{{ var("pseudonymization_key") }}', '|', {{ blank_to_null(column) }}))
    end
{%- endmacro %}
