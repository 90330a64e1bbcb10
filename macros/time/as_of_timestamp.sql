{% macro as_of_timestamp() -%}
    {#- "now" for the status rules, a naive UTC timestamp: var as_of (nyckeltal passes
        NYCKELTAL_AS_OF, a date or ISO time in UTC), else the moment dbt started -#}
    cast('{{ var("as_of", run_started_at.strftime("%Y-%m-%d %H:%M:%S")) }}' as timestamp)
{%- endmacro %}
