{% macro newly_loaded(manifest=none) -%}
    {#- true for a raw row read by this run's load (its _loaded_at is the load's time stamp);
        an incremental load keeps earlier rows with the time stamps of the loads that read them.
        manifest: the load manifest to read the time stamp from (default: the source, which
        only staging may read; later layers pass ref('stg_contract__load_manifest')) -#}
    _loaded_at = (select max(manifest.loaded_at) from
        {{ manifest if manifest is not none else source('landing', '_load_manifest') }}
        as manifest)
{%- endmacro %}
