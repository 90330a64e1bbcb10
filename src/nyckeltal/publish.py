"""Write-audit-publish of the published database.

The published file is never opened read-write and never overwritten in place: a new database
is written to a uniquely named temporary file in the same folder (DuckDB storage v1.4.0, which
the DuckDB 1.4/1.5 drivers in BI tools read), checkpointed, closed, verified read-only, fsynced,
and renamed over the old one; then the folder is fsynced.  Readers holding the old file keep
reading it; new readers see the new one.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from nyckeltal import __version__

logger = logging.getLogger(__name__)

STORAGE_VERSION = "v1.4.0"
TEMP_PREFIX = ".publish-"
TEMP_SUFFIX = ".duckdb.tmp"

# published table -> source relation in the build database
PUBLISHED_TABLES: dict[str, str] = {
    "kpi_values": "marts.kpi_values",
    "kpi_catalog": "marts.dim_kpis",
    "kpi_targets": "reference.kpi_targets",
    "fct_kpi_units": "marts.fct_kpi_units",
    "dim_periods": "marts.dim_periods",
    "dim_dates": "marts.dim_dates",
    "dim_teams": "marts.dim_teams",
    "dim_agents": "marts.dim_agents",
    "dim_services": "marts.dim_services",
    "fct_tickets": "marts.fct_tickets",
    "fct_reply_cycles": "marts.fct_reply_cycles",
    "fct_changes": "marts.fct_changes",
    "fct_support_costs": "marts.fct_support_costs",
    "mart_itsm_durations": "marts.mart_itsm_durations",
    "mart_itsm_volumes": "marts.mart_itsm_volumes",
    "mart_itsm_sla": "marts.mart_itsm_sla",
    "dim_customers": "marts.dim_customers",
    "fct_customer_periods": "marts.fct_customer_periods",
    "mart_cx_customers": "marts.mart_cx_customers",
    "mart_ex_turnover": "marts.mart_ex_turnover",
    "quality_unknown_references": "marts.quality_unknown_references",
    "quality_source_completeness": "marts.quality_source_completeness",
    "quality_row_accounting": "marts.quality_row_accounting",
    "quality_quarantine_summary": "marts.quality_quarantine_summary",
    "quality_quarantine_by_period": "marts.quality_quarantine_by_period",
    "quality_ticket_activity": "marts.quality_ticket_activity",
    "quality_servicenow_unresolved_closures": "marts.quality_servicenow_unresolved_closures",
    "quality_check_results": "staging.stg_checks__check_results",
    "quality_landing_notes": "staging.stg_contract__landing_notes",
    "source_watermarks": "intermediate.int_source_watermarks",
}
# tables that must hold rows for a publication to be accepted
NON_EMPTY_TABLES = ("kpi_values", "kpi_catalog", "publication_log")


class PublishError(RuntimeError):
    """The new publication failed verification; the old one is untouched."""


@dataclass
class PublicationFacts:
    run_id: str
    started_at: datetime
    tests_passed: int = 0
    tests_failed: int = 0
    expectations_passed: int = 0
    expectations_failed: int = 0


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{TEMP_PREFIX}*"))


def clean_leftovers(published_path: Path) -> list[Path]:
    """Remove temporary files (and their .wal) left by killed runs, and a stale WAL."""
    removed = []
    folder = published_path.parent
    if not folder.is_dir():
        return removed
    for path in temp_files(folder):
        path.unlink(missing_ok=True)
        removed.append(path)
    # the published file is written whole and never opened read-write: a WAL beside it is stale
    # and, with old storage versions, would be replayed into the new file
    wal = published_path.with_name(published_path.name + ".wal")
    if wal.exists():
        wal.unlink()
        removed.append(wal)
    for path in removed:
        logger.warning("removed leftover %s", path)
    return removed


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _previous_log(published_path: Path) -> list[tuple]:
    if not published_path.exists():
        return []
    try:
        with duckdb.connect(str(published_path), read_only=True) as con:
            return con.execute("select * from publication_log order by finished_at").fetchall()
    except duckdb.Error as error:
        logger.warning("previous publication log unreadable (%s); starting a new one", error)
        return []


def _write(
    temp_path: Path,
    build_path: Path,
    facts: PublicationFacts,
    previous_log: list[tuple],
    config: dict[str, str] | None = None,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with duckdb.connect(config=config or {}) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {_quote(build_path)} as build (read_only)")
        con.execute(f"attach {_quote(temp_path)} as pub (storage_version '{STORAGE_VERSION}')")
        for table, relation in PUBLISHED_TABLES.items():
            con.execute(f"create table pub.main.{table} as select * from build.{relation}")
        status_counts = dict(
            con.execute(
                "select status, count(*) from pub.main.kpi_values group by 1 order by 1"
            ).fetchall()
        )
        watermarks = {
            name: (str(mark) if mark is not None else None)
            for name, mark in con.execute(
                "select source_name, watermark_at from pub.main.source_watermarks order by 1"
            ).fetchall()
        }
        con.execute(
            """
            create table pub.main.publication_log (
                run_id varchar not null,
                started_at timestamp not null,
                finished_at timestamp not null,
                project_version varchar not null,
                tests_passed integer,
                tests_failed integer,
                expectations_passed integer,
                expectations_failed integer,
                kpi_rows_published bigint,
                kpi_rows_provisional bigint,
                kpi_rows_withheld bigint,
                source_watermarks varchar
            )
            """
        )
        if previous_log:
            placeholders = ", ".join("?" for _ in previous_log[0])
            con.executemany(
                f"insert into pub.main.publication_log values ({placeholders})", previous_log
            )
        con.execute(
            """
            insert into pub.main.publication_log
            values (?, ?, current_timestamp::timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                facts.run_id,
                facts.started_at.replace(tzinfo=None),
                __version__,
                facts.tests_passed,
                facts.tests_failed,
                facts.expectations_passed,
                facts.expectations_failed,
                status_counts.get("published", 0),
                status_counts.get("provisional", 0),
                status_counts.get("withheld", 0),
                json.dumps(watermarks, sort_keys=True),
            ],
        )
        for table in [*PUBLISHED_TABLES, "publication_log"]:
            counts[table] = con.execute(f"select count(*) from pub.main.{table}").fetchall()[0][0]
        con.execute("checkpoint pub")
        con.execute("detach pub")
        con.execute("detach build")
    return counts


def verify(path: Path, run_id: str, expected_counts: dict[str, int]) -> None:
    """Open the new file read-only, as a reader would, and check what it holds."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = {
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'main'"
                ).fetchall()
            }
            missing = set(expected_counts) - tables
            if missing:
                raise PublishError(f"{path}: missing tables {sorted(missing)}")
            for table, expected in expected_counts.items():
                actual = con.execute(f"select count(*) from main.{table}").fetchall()[0][0]
                if actual != expected:
                    raise PublishError(f"{path}: {table} has {actual} rows, expected {expected}")
            for table in NON_EMPTY_TABLES:
                if expected_counts.get(table, 0) == 0:
                    raise PublishError(f"{path}: {table} is empty; refusing to publish")
            latest = con.execute(
                "select run_id from publication_log order by finished_at desc limit 1"
            ).fetchall()
            if not latest or latest[0][0] != run_id:
                raise PublishError(f"{path}: publication_log does not end with run {run_id}")
            invalid = con.execute(
                """
                select count(*) from kpi_values
                where (
                    status = 'withheld' and (
                        value is not null or reasons is null or numerator is not null
                        or denominator is not null or ci_low is not null
                        or ci_high is not null or target_met is not null
                    )
                )
                or (status <> 'withheld' and (value is null or not isfinite(value)))
                """
            ).fetchall()[0][0]
            if invalid:
                raise PublishError(f"{path}: {invalid} kpi_values rows break the status rules")
    except duckdb.Error as error:
        raise PublishError(f"{path}: cannot be opened read-only ({error})") from error


def _test_pause() -> None:
    """Test hook: NYCKELTAL_TEST_PAUSE_BEFORE_RENAME=seconds holds the verified, fsynced file
    just before the rename, so a test can kill the process at the worst moment."""
    seconds = os.environ.get("NYCKELTAL_TEST_PAUSE_BEFORE_RENAME")
    if seconds:
        logger.warning("pausing %s s before the rename (test hook)", seconds)
        time.sleep(float(seconds))


def publish(
    published_path: Path,
    build_path: Path,
    facts: PublicationFacts,
    prepare: Callable[[Path], None] | None = None,
    config: dict[str, str] | None = None,
) -> dict[str, int]:
    """Publish atomically; on any failure the previous publication stays as it was.
    `prepare(new_file)` runs on the verified new file before it replaces the old one (the
    dashboards are rendered from it there): if it fails, nothing is published."""
    folder = published_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temp_path = folder / f"{TEMP_PREFIX}{facts.run_id}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    try:
        counts = _write(temp_path, build_path, facts, _previous_log(published_path), config)
        verify(temp_path, facts.run_id, counts)
        if prepare:
            prepare(temp_path)
        _fsync(temp_path)
        _test_pause()
        stale_wal = published_path.with_name(published_path.name + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
        temp_path.replace(published_path)
        _fsync(folder)
    finally:
        for leftover in (temp_path, temp_path.with_name(temp_path.name + ".wal")):
            leftover.unlink(missing_ok=True)
    logger.info("published %s", published_path)
    return counts
