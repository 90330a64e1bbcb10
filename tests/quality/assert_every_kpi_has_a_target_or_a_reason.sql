-- every catalogue entry has a default target, or says why none applies (and not both)
select
    kpi_id,
    target_value,
    no_target_reason
from {{ ref('kpi_catalog') }}
where (target_value is null) = (no_target_reason is null)
