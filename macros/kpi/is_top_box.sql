{% macro is_top_box(score, scale_min, scale_max) -%}
    {#- kpi-reference.md §3 B5: the favourable points of a scale — the top 1 of 2–3 points, the
        top 2 of 4–5 (4–5 of 1–5), the top 3 of 6–8 (5–7 of 1–7) -#}
    {{ score }} >= {{ scale_max }} - case
        when {{ scale_max }} - {{ scale_min }} + 1 <= 3 then 0
        when {{ scale_max }} - {{ scale_min }} + 1 <= 5 then 1
        else 2
    end
{%- endmacro %}
