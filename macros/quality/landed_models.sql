{% macro landed_source_nodes() -%}
    {#- the source registry: the graph's source nodes whose meta names a checked_model, in a
        stable order; empty while dbt parses (the graph holds no sources then) -#}
    {%- set nodes = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- if node['config']['meta'].get('checked_model') -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(nodes) }}
{%- endmacro %}

{% macro landed_models() -%}
    {#- each landed table of the source registry (sources whose meta names a checked_model)
        with the model holding its checked rows (`model`), the expression naming a row
        (`key`) and, for event tables, the timestamp or date that places a row in a period
        (`at`). dbt resolves ref() while parsing, before the graph holds the sources: then the
        models come from var landed_models, which scripts/registry.py writes from the registry
        (a test fails when it is stale, and dbt stops on a checked model missing from it). -#}
    {%- set landed = [] -%}
    {%- if not execute -%}
        {%- for model in var('landed_models') -%}
            {%- do landed.append({'table': model, 'model': model, 'key': 'null'}) -%}
        {%- endfor -%}
        {{ return(landed) }}
    {%- endif -%}
    {%- for node in landed_source_nodes() -%}
        {%- set meta = node['config']['meta'] -%}
        {%- set item = {
            'table': node['identifier'],
            'model': meta['checked_model'],
            'key': meta['key'],
        } -%}
        {#- `at` only for event tables, as the callers test whether it is defined -#}
        {%- if meta.get('at') -%}
            {%- do item.update({'at': meta['at']}) -%}
        {%- endif -%}
        {%- do landed.append(item) -%}
    {%- endfor -%}
    {{ return(landed) }}
{%- endmacro %}

{% macro source_watermark_rules() -%}
    {#- the registry's watermark declarations as rows (source_name, watermark_kind,
        tolerance_hours), for a CTE: event sources are as fresh as their newest event, snapshot
        sources as their load -#}
    {%- set rows = [] -%}
    {%- for node in landed_source_nodes() -%}
        {%- set watermark = node['config']['meta'].get('watermark') -%}
        {%- if watermark -%}
            {%- do rows.append(
                "select '" ~ node['identifier'] ~ "' as source_name, '" ~ watermark['kind']
                ~ "' as watermark_kind, " ~ watermark['tolerance_hours']
                ~ " as tolerance_hours") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if rows -%}
        {{ rows | join('\n    union all\n    ') }}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_name,
        cast(null as {{ dbt.type_string() }}) as watermark_kind,
        cast(null as {{ dbt.type_int() }}) as tolerance_hours
    where false
    {%- endif -%}
{%- endmacro %}

{% macro source_event_extents() -%}
    {#- per event source of the registry (meta.watermark.kind event), from its checked model's
        staged rows: its first event (the first of watermark.columns) and its newest (the
        latest of them), as rows (source_name, first_event_at, newest_event_at) for a CTE. A
        date column covers its whole local day: from local midnight to the next one. While dbt
        parses, only the refs of every landed model (var landed_models). -#}
    {%- if not execute -%}
        {%- for model in var('landed_models') %}
    -- depends on {{ ref(model) }}
        {%- endfor %}
    select null as source_name, null as first_event_at, null as newest_event_at
    {%- else -%}
        {%- set selects = [] -%}
        {%- for node in landed_source_nodes() -%}
            {%- set meta = node['config']['meta'] -%}
            {%- set watermark = meta.get('watermark') or {} -%}
            {%- if watermark.get('kind') == 'event' -%}
                {%- set starts = [] -%}
                {%- set ends = [] -%}
                {%- for column in watermark['columns'] -%}
                    {%- set data_type = (node['columns'].get(column) or {}).get('data_type') -%}
                    {%- if data_type == 'date' -%}
                        {%- do starts.append(reporting_midnight_utc(column)) -%}
                        {%- do ends.append(reporting_midnight_utc(dbt.dateadd('day', 1, column))) -%}
                    {%- else -%}
                        {%- do starts.append(column) -%}
                        {%- do ends.append(column) -%}
                    {%- endif -%}
                {%- endfor -%}
                {#- later columns may be empty (not resolved yet): they count as the first -#}
                {%- set latest = [ends[0]] -%}
                {%- for end in ends[1:] -%}
                    {%- do latest.append('coalesce(' ~ end ~ ', ' ~ ends[0] ~ ')') -%}
                {%- endfor -%}
                {%- set newest = latest[0] if latest | length == 1
                    else 'greatest(' ~ latest | join(', ') ~ ')' -%}
                {%- do selects.append(
                    "select '" ~ node['identifier'] ~ "' as source_name, min(" ~ starts[0]
                    ~ ") as first_event_at, max(" ~ newest ~ ") as newest_event_at from "
                    ~ ref(meta['checked_model']) ~ " where quarantine_reason is null") -%}
            {%- endif -%}
        {%- endfor -%}
        {{ selects | join('\n    union all\n    ') }}
    {%- endif -%}
{%- endmacro %}
