{% macro touched_tickets(column='ticket_id') -%}
    {#- in an incremental build, true for the tickets it recomputes (int_tickets_touched); in a
        full build true. The table is looked up, not ref'd, so that unit tests need no fixture
        for it; int_ticket_events_checked, upstream of every model calling this, declares the
        dependency that builds it first. -#}
    {%- if incremental_build() -%}
        {%- set node = graph.nodes['model.' ~ project_name ~ '.int_tickets_touched'] -%}
        {%- set touched = api.Relation.create(
            database=node.database, schema=node.schema, identifier=node.alias) -%}
        {{ column }} in (select touched.ticket_id from {{ touched }} as touched)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_touched_tickets() -%}
    {#- pre-hook of a model incremental by ticket: its rows of the tickets this build
        recomputes go first, the model then inserts them anew -#}
    {%- if incremental_build() -%}
        delete from {{ this }} where {{ touched_tickets() }}
    {%- endif -%}
{%- endmacro %}
