-- every row that came in is either staged or quarantined, never lost nor counted twice
select
    source_table,
    rows_in,
    staged_row_count,
    quarantined_row_count
from {{ ref('quality_row_accounting') }}
where rows_in <> staged_row_count + quarantined_row_count
