{% macro customer_segments(with_channel=false) -%}
    {#- the natural cuts of CX KPIs: customer segment and country (and channel for ticket KPIs) -#}
    {%- set segments = {'customer_segment': 'customer_segment', 'country': 'country'} -%}
    {%- if with_channel -%}
        {%- do segments.update({'channel': 'channel'}) -%}
    {%- endif -%}
    {{ return(segments) }}
{%- endmacro %}
