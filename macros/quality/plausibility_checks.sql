{% macro plausibility_checks(source_name, table_name) -%}
    {#- (condition, reason) pairs for first_failure from the source table's declaration
        (meta `plausible` in its sources YAML): `timestamps` must fall in the run's window, from
        var plausible_first_date to var plausible_years_ahead after the run; `history_timestamps`
        (hire and acquisition dates) from var plausible_history_first_date to the same end;
        `ranges` maps a numeric column to [min, max] and rejects non-finite values. A value
        outside is quarantined with reason `out_of_range: …`, so it never reaches a period spine
        or a KPI. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {#- a unit test compiles without the graph's sources: no plausibility checks there -#}
    {%- set sources = graph.get('sources', {}) -%}
    {%- set node = sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- set meta = node['config']['meta'] if node else {} -%}
    {%- set plausible = meta.get('plausible', {}) -%}
    {%- set last = (run_started_at + modules.datetime.timedelta(
        days=(365.25 * var('plausible_years_ahead')) | int)).strftime('%Y-%m-%d') -%}
    {%- set checks = [] -%}
    {%- for kind, first in [('timestamps', var('plausible_first_date')),
        ('history_timestamps', var('plausible_history_first_date'))] -%}
        {%- for column in plausible.get(kind, []) -%}
            {%- do checks.append((
                column ~ " < cast('" ~ first ~ "' as timestamp) or " ~ column
                ~ " >= cast('" ~ last ~ "' as timestamp)",
                'out_of_range: ' ~ column ~ ' not between ' ~ first ~ ' and ' ~ last)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for column, bounds in plausible.get('ranges', {}).items() -%}
        {%- do checks.append((
            'not isfinite(cast(' ~ column ~ ' as double)) or ' ~ column ~ ' < ' ~ bounds[0]
            ~ ' or ' ~ column ~ ' > ' ~ bounds[1],
            'out_of_range: ' ~ column ~ ' not between ' ~ bounds[0] ~ ' and ' ~ bounds[1])) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
