{% macro incremental_build() -%}
    {#- true while dbt builds an incremental model on top of its earlier build; false in a full
        build, for other materializations and in unit tests (which give no relation) -#}
    {{ return(model.config.materialized == 'incremental' and is_incremental()) }}
{%- endmacro %}
