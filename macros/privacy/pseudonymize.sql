{% macro pseudonymize(column) -%}
    {{ return(adapter.dispatch('pseudonymize', 'nyckeltal')(column)) }}
{%- endmacro %}

{% macro default__pseudonymize(column) -%}
    {{ exceptions.raise_compiler_error(
        "pseudonymize: no keyed hash for adapter " ~ adapter.type()
        ~ " (the key must reach SQL as a session value, never as text)") }}
{%- endmacro %}

{% macro duckdb__pseudonymize(column) -%}
    {#- keyed hash of a person identifier: joins keep working, the raw id never leaves staging.
        The key is a session variable set from Python (nyckeltal.duckdb_plugin): it never
        appears in SQL text, the manifest, compiled files or logs. -#}
    case
        when {{ blank_to_null(column) }} is not null
            then sha256(concat(
                coalesce(
                    getvariable('nyckeltal_pseudonym_key'),
                    error('the pseudonym key is not set on this connection')
                ),
                '|',
                {{ blank_to_null(column) }}
            ))
    end
{%- endmacro %}
