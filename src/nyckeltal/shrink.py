"""The guard against shrinking: a landed table that had rows in the last publication and now
arrives absent, empty, or mostly quarantined stops the run before anything is published
(kpi-spec: checks and publication), unless the run is told to accept the shrink."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)


class ShrinkError(RuntimeError):
    """Landed tables shrank since the last publication; nothing was published."""


def _accounting(path: Path, relation: str) -> dict[str, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            f"select source_table, is_present, rows_in, staged_row_count,"
            f" quarantined_row_count from {relation}"
        ).fetchall()
    return {table: rest for table, *rest in rows}


def shrunk_tables(
    build_path: Path, published_path: Path, max_quarantined_share: float
) -> list[str]:
    """One line per landed table that shrank; empty on a first run (nothing published)."""
    if not published_path.exists():
        return []
    try:
        previous = _accounting(published_path, "quality_row_accounting")
    except duckdb.Error as error:
        logger.warning("last publication's row accounting unreadable (%s): not guarded", error)
        return []
    current = _accounting(build_path, "marts.quality_row_accounting")
    lines = []
    for table, (was_present, _rows_in, was_staged, _quarantined) in sorted(previous.items()):
        if not was_present or not was_staged:
            continue
        last = f"(last publication: {was_staged:,} staged)"
        is_present, rows_in, staged, quarantined = current.get(table, (False, 0, 0, 0))
        if not is_present:
            lines.append(f"{table}: absent {last}")
        elif not rows_in:
            lines.append(f"{table}: 0 rows {last}")
        elif quarantined / rows_in > max_quarantined_share:
            lines.append(
                f"{table}: {quarantined:,} of {rows_in:,} rows quarantined"
                f" ({quarantined / rows_in:.0%}), {staged:,} staged {last}"
            )
    return lines


def guard_against_shrinking(
    build_path: Path, published_path: Path, max_quarantined_share: float
) -> None:
    """Raise ShrinkError, one line per table, when a landed table shrank."""
    shrunk = shrunk_tables(build_path, published_path, max_quarantined_share)
    if shrunk:
        raise ShrinkError(
            "landed tables shrank since the last publication; nothing published"
            " (--accept-shrink publishes anyway):\n  " + "\n  ".join(shrunk)
        )
