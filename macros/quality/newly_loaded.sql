{% macro newly_loaded() -%}
    {#- true for a raw row read by this run's load (its _loaded_at is the load's time stamp);
        an incremental load keeps earlier rows with the time stamps of the loads that read them -#}
    _loaded_at = (select max(manifest.loaded_at) from {{ source('landing', '_load_manifest') }}
        as manifest)
{%- endmacro %}
