{% macro raw_values_if_quarantined(row_column) -%}
    {{ return(adapter.dispatch('raw_values_if_quarantined', 'nyckeltal')(row_column)) }}
{%- endmacro %}

{% macro default__raw_values_if_quarantined(row_column) -%}
    case when quarantine_reason is not null then {{ to_json_text(row_column) }} end
{%- endmacro %}

{% macro duckdb__raw_values_if_quarantined(row_column) -%}
    {#- the row as it landed (a struct of its text columns), as JSON, for quarantined rows only:
        clean rows carry NULL, so staging tables stay small. The key's rank (key_rank) is not
        part of what landed: the merge patch drops it. -#}
    case
        when quarantine_reason is not null
            then cast(json_merge_patch(to_json({{ row_column }}), '{"_key_rank": null}') as varchar)
    end
{%- endmacro %}
