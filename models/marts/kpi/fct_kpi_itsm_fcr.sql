{#- itsm_fcr: first-contact resolutions / eligible tickets first resolved in the period. Async
    channels: exactly one public agent reply before the first resolution and no requester
    message in between; live channels (phone, walk-in, chat): first resolution within one
    business hour of creation. Never reassigned before the first resolution, never escalated,
    never substantively reopened (or followed up) within the window. Async tickets resolved with
    no agent reply are not in the denominator. -#}
with

units as (

    {{ kpi_units('itsm_fcr') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

{{ kpi_from_unit_spec('itsm_fcr') }}

select * from final
