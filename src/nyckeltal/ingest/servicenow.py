"""Load ServiceNow incident exports from `landing/servicenow/` into `raw.servicenow_incident`.

An export is the incident table as ServiceNow's list view or table API writes it: one row per
incident, or one row per update (an audit-style log in which `sys_mod_count` increments).
Every file in the folder (`.csv`, `.csv.gz`, `.parquet`) is read; the known columns are kept as
text, with `_row_number`, `_source_file`, `_loaded_at` and two per-file facts the staging model
needs:

* `_date_format`: how the file writes dates (`iso`, `dmy` for day-first `DD/MM/YYYY HH:MM`,
  `mdy` for month-first), detected from the values.  A file whose slash dates all have day and
  month <= 12 is ambiguous: it needs the setting `NYCKELTAL_SERVICENOW_DATE_FORMAT`, otherwise
  the run fails naming the file.
* `_export_shape`: `audit_log` when an incident number occurs more than once in the file,
  otherwise `per_incident`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from nyckeltal.ingest.contract import Table
from nyckeltal.ingest.dates import detect_date_format
from nyckeltal.ingest.files import DATA_SUFFIXES
from nyckeltal.ingest.reader import (
    LoadContext,
    LoadedTable,
    append_landing_file,
    create_raw_table,
    read_landing_file,
    record_manifest,
)

logger = logging.getLogger(__name__)

SYSTEM_DIR = "servicenow"
RAW_TABLE = "servicenow_incident"

_INCIDENT_COLUMNS = (
    "number incident_state state active reassignment_count reopen_count sys_mod_count"
    " made_sla caller_id opened_by opened_at sys_created_by sys_created_on sys_created_at"
    " sys_updated_by sys_updated_on sys_updated_at hold_reason contact_type category"
    " subcategory impact urgency priority assignment_group assigned_to knowledge problem_id"
    " rfc caused_by closed_code close_code resolved_by resolved_at closed_at"
)
INCIDENT = Table(
    name=RAW_TABLE,
    columns=tuple(_INCIDENT_COLUMNS.split()),
    # only the incident number is required: exports choose their columns
    optional=frozenset(_INCIDENT_COLUMNS.split()) - {"number"},
)

# column labels a list export may write instead of field names (lower-cased)
LABELS = {
    "incident state": "incident_state",
    "opened": "opened_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
    "created": "sys_created_on",
    "created by": "sys_created_by",
    "updated": "sys_updated_on",
    "updated by": "sys_updated_by",
    "updates": "sys_mod_count",
    "caller": "caller_id",
    "opened by": "opened_by",
    "assigned to": "assigned_to",
    "assignment group": "assignment_group",
    "resolved by": "resolved_by",
    "contact type": "contact_type",
    "channel": "contact_type",
    "on hold reason": "hold_reason",
    "reassignment count": "reassignment_count",
    "reopen count": "reopen_count",
    "made sla": "made_sla",
    "problem": "problem_id",
    "change request": "rfc",
    "caused by change": "caused_by",
    "resolution code": "close_code",
}

DATE_COLUMNS = (
    "opened_at",
    "sys_created_on",
    "sys_created_at",
    "sys_updated_on",
    "sys_updated_at",
    "resolved_at",
    "closed_at",
)


def find_export_files(landing_dir: Path) -> list[Path]:
    folder = landing_dir / SYSTEM_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.is_file() and path.name.endswith(DATA_SUFFIXES)
    )


def rename_labels(con: duckdb.DuckDBPyConnection, columns: set[str]) -> set[str]:
    """Field names for the column labels of a list export (`Opened` → opened_at), unless the
    file also has the field itself."""
    renamed = set(columns)
    for label, field_name in LABELS.items():
        if label in renamed and field_name not in renamed:
            con.execute(f'alter table _landing_file rename column "{label}" to "{field_name}"')
            renamed = (renamed - {label}) | {field_name}
    return renamed


def detect_shape(con: duckdb.DuckDBPyConnection) -> str:
    repeated = con.execute(
        """
        select count(*) from (
            select trim(cast(number as varchar)) as number
            from _landing_file
            where nullif(trim(cast(number as varchar)), '') is not null
            group by 1
            having count(*) > 1
        )
        """
    ).fetchall()[0][0]
    return "audit_log" if repeated else "per_incident"


def load_exports(context: LoadContext, landing_dir: Path) -> LoadedTable:
    """Load every export file; record one manifest row for the table (all files together)."""
    con = context.con
    create_raw_table(con, INCIDENT, ("_date_format", "_export_shape"))
    paths, rows, rejected = [], 0, 0
    for path in find_export_files(landing_dir):
        available, file_rejected = read_landing_file(context, INCIDENT, path)
        available = rename_labels(con, available)
        date_format = detect_date_format(
            con,
            path,
            [column for column in DATE_COLUMNS if column in available],
            context.options.servicenow_date_format,
            "NYCKELTAL_SERVICENOW_DATE_FORMAT",
        )
        shape = detect_shape(con)
        count = append_landing_file(context, INCIDENT, available, path, (date_format, shape))
        logger.info("%s: %d rows, dates %s, %s", path, count, date_format, shape)
        paths.append(path)
        rows += count
        rejected += file_rejected
    return record_manifest(context, RAW_TABLE, paths, rows, rejected)
