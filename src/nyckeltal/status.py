"""What the last publication holds, read from the published database (read-only)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb


class NotPublishedError(RuntimeError):
    """Nothing has been published yet."""


def read_status(published_path: Path, as_of: datetime | None = None) -> dict[str, Any]:
    """as_of: "now" (UTC) for the staleness warning; None: the current time."""
    if not published_path.exists():
        raise NotPublishedError(f"{published_path}: nothing published yet (run `nyckeltal run`)")
    with duckdb.connect(str(published_path), read_only=True) as con:
        columns = [
            "run_id",
            "started_at",
            "finished_at",
            "project_version",
            "tests_passed",
            "tests_failed",
            "expectations_passed",
            "expectations_failed",
            "source_watermarks",
        ]
        last = con.execute(
            f"select {', '.join(columns)} from publication_log order by finished_at desc limit 1"
        ).fetchall()[0]
        publication = dict(zip(columns, (_typed(value) for value in last), strict=True))
        # written as JSON text by the publish step: a nested object here
        publication["source_watermarks"] = json.loads(publication["source_watermarks"] or "{}")
        counts = con.execute(
            """
            select kpi_id, status, count(*) from kpi_values group by 1, 2 order by 1, 2
            """
        ).fetchall()
        by_kpi: dict[str, dict[str, int]] = {}
        for kpi_id, status, count in counts:
            by_kpi.setdefault(kpi_id, {})[status] = count
        watermarks = con.execute(
            """
            select source_name, is_present, watermark_kind, cast(watermark_at as varchar),
                tolerance_hours,
                -- an event source not refreshed within its tolerance of now: a warning only
                coalesce(watermark_kind = 'event' and is_present and watermark_at
                    < coalesce(?, cast(current_timestamp at time zone 'UTC' as timestamp))
                    - to_hours(tolerance_hours), false) as is_stale
            from source_watermarks order by 1
            """,
            [as_of],
        ).fetchall()
        withheld = con.execute(
            """
            select kpi_id, reasons, count(*)
            from kpi_values
            where status = 'withheld' and period_grain = 'month' and segment_type = 'all'
            group by 1, 2 order by 1, 3 desc
            """
        ).fetchall()
        unresolved = _optional_rows(
            con,
            "select period_start, unresolved_closure_count"
            " from quality_servicenow_unresolved_closures order by 1",
        )
        notes = _optional_rows(
            con,
            "select kind, source_file, detail, is_warning from quality_landing_notes order by 1, 2",
        )
    return {
        "published_path": str(published_path),
        "publication": publication,
        "rows_by_kpi": by_kpi,
        "sources": [
            {
                "source": name,
                "present": present,
                "watermark_kind": kind,
                "watermark_at": mark,
                "tolerance_hours": tolerance,
                "stale": stale,
            }
            for name, present, kind, mark, tolerance, stale in watermarks
        ],
        "withheld_month_rows": [
            {"kpi_id": kpi_id, "reasons": reasons, "rows": count}
            for kpi_id, reasons, count in withheld
        ],
        "servicenow_closed_without_resolved_at": [
            {"month": str(month), "incidents": count} for month, count in unresolved
        ],
        "landing_notes": [
            {"kind": kind, "source_file": path, "detail": detail, "is_warning": warning}
            for kind, path, detail, warning in notes
        ],
    }


def _typed(value: object) -> object:
    """Numbers stay numbers; timestamps become ISO text (JSON has no time type)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _optional_rows(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """Rows of a table that older publications do not have (then none)."""
    try:
        return con.execute(query).fetchall()
    except duckdb.CatalogException:
        return []
