{% macro wilson_bound(successes, total, side) -%}
    {#- 95 % Wilson score interval of a proportion: side = 'low' or 'high'; NULL when total = 0 -#}
    {%- set z = 1.959963984540054 -%}
    {%- set sign = '-' if side == 'low' else '+' -%}
    case
        when {{ total }} > 0 then (
            (cast({{ successes }} as double) / {{ total }}) + {{ z * z }} / (2.0 * {{ total }})
            {{ sign }} {{ z }} * sqrt(
                (cast({{ successes }} as double) / {{ total }})
                * (1 - cast({{ successes }} as double) / {{ total }}) / {{ total }}
                + {{ z * z }} / (4.0 * {{ total }} * {{ total }})
            )
        ) / (1 + {{ z * z }} / {{ total }})
    end
{%- endmacro %}
