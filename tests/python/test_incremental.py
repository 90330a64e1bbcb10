"""Incremental builds: a run whose table folders only got new deliveries reads and builds
just those, and publishes what a full refresh on the same data publishes (decision 0013)."""

from __future__ import annotations

import csv
import gzip
import math
import os
import shutil
from dataclasses import astuple, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from nyckeltal.generate import TIMEZONE
from nyckeltal.generate.append import append_days, into_folders
from nyckeltal.ingest import load_landing
from nyckeltal.pipeline import RunSummary
from nyckeltal.settings import Settings

from conftest import AS_OF, PROJECT_DIR, SEED, make_settings, run_checked

KEY = ("kpi_id", "period_grain", "period_start", "segment_type", "segment_value")


@dataclass
class Pair:
    """The same landing folder built incrementally and by a full refresh."""

    incremental: Settings
    refresh: Settings
    summary: RunSummary
    refresh_summary: RunSummary


def kpi_rows(published: Path) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(published), read_only=True) as con:
        result = con.execute(f"select * from kpi_values order by {', '.join(KEY)}")
        rows = result.fetchall()
        columns = [column[0] for column in result.description]
    return columns, rows


def differences(left: Path, right: Path) -> list[str]:
    """Rows of kpi_values that differ: keys, counts and statuses exactly, numbers to 1e-9
    relative (a sum's last bits depend on the order DuckDB's threads add in)."""
    columns, rows = kpi_rows(left)
    other_columns, other = kpi_rows(right)
    assert columns == other_columns
    found = []
    if len(rows) != len(other):
        found.append(f"{len(rows)} rows against {len(other)}")
    for row, other_row in zip(rows, other, strict=False):
        for column, value, other_value in zip(columns, row, other_row, strict=True):
            same = (
                math.isclose(value, other_value, rel_tol=1e-9, abs_tol=1e-12)
                if isinstance(value, float) and isinstance(other_value, float)
                else value == other_value
            )
            if not same:
                found.append(f"{row[:5]} {column}: {value!r} against {other_value!r}")
    return found[:20]


INCREMENTAL_MODELS = (
    "staging.stg_contract__tickets",
    "staging.stg_contract__ticket_events",
    "intermediate.int_ticket_events_checked",
    "intermediate.int_ticket_status_intervals",
    "intermediate.int_ticket_milestones",
    "intermediate.int_ticket_durations",
    "intermediate.int_sla_instances",
    "marts.fct_tickets",
    "marts.fct_reply_cycles",
)


def model_differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per incremental model, the rows only in one build and only in the other (every
    column but the load time stamp): a ticket's rows are computed alone, so exactly equal."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as left_build (read_only)")
        con.execute(f"attach '{right}' as right_build (read_only)")
        for model in INCREMENTAL_MODELS:
            schema, name = model.split(".")
            # quarantined rows keep their raw values, load stamp included: that one differs
            columns = ", ".join(
                f"""regexp_replace("{row[0]}", '"_loaded_at":"[^"]*"', '')"""
                if row[0] == "raw_values"
                else f'"{row[0]}"'
                for row in con.execute(
                    "select column_name from information_schema.columns where table_catalog ="
                    " 'left_build' and table_schema = ? and table_name = ?"
                    " and column_name <> '_loaded_at' order by ordinal_position",
                    [schema, name],
                ).fetchall()
            )
            counts = tuple(
                con.execute(
                    f"select count(*) from (select {columns} from {one}.{model}"
                    f" except all select {columns} from {other}.{model})"
                ).fetchall()[0][0]
                for one, other in (("left_build", "right_build"), ("right_build", "left_build"))
            )
            if counts != (0, 0):
                found[model] = counts
    return found


def build_pair(incremental: Settings, refresh: Settings) -> Pair:
    summary = run_checked(incremental)
    refresh_summary = run_checked(refresh, full_refresh=True)
    return Pair(incremental, refresh, summary, refresh_summary)


@pytest.fixture(scope="module")
def appended(warehouse, tmp_path_factory) -> Pair:
    """The session's small data in the folder layout of daily deliveries (tickets/,
    ticket_events/), built; one day appended, then built incrementally and by a full
    refresh."""
    root = tmp_path_factory.mktemp("incremental")
    landing = root / "landing"
    shutil.copytree(warehouse.landing, landing)
    into_folders(landing)
    first = make_settings(root, landing)
    assert run_checked(first).build_mode == "full"
    append_days(landing, PROJECT_DIR, 1, seed=SEED)
    incremental = replace(first, as_of=AS_OF + timedelta(days=1))
    refresh_root = root / "refresh"
    refresh = replace(
        incremental,
        warehouse_dir=refresh_root,
        published_path=refresh_root / "published.duckdb",
    )
    return build_pair(incremental, refresh)


def late_ticket(build: Path) -> tuple[str, datetime]:
    """An incident resolved once in October (the month before the data end), never reopened,
    closed more than six hours later: the latest such one. Its first resolution (UTC)."""
    with duckdb.connect(str(build), read_only=True) as con:
        return con.execute(
            """
            select ticket_id, first_resolved_at
            from marts.fct_tickets
            where source_system = 'contract' and ticket_type = 'incident'
                and not is_excluded and status = 'closed' and has_conversation
                and reopen_count = 0 and followup_count = 0
                and first_resolved_at = last_resolved_at
                and first_resolved_date between date '2026-10-01' and date '2026-10-31'
                and closed_at > first_resolved_at + interval 6 hour
            order by first_resolved_at desc
            limit 1
            """
        ).fetchall()[0]


def october_reopens(published: Path) -> tuple:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "select numerator, denominator from kpi_values where kpi_id = 'itsm_reopen_rate'"
            " and period_grain = 'month' and period_start = date '2026-10-01'"
            " and segment_type = 'all'"
        ).fetchall()[0]


@dataclass
class Late:
    pair: Pair
    ticket_id: str
    reopens_before: tuple


@pytest.fixture(scope="module")
def late(appended) -> Late:
    """A late delivery on top of `appended`: events of October that arrive in November (the
    requester writes after the resolution, the ticket reopens, an agent answers and resolves
    it again, all before it closed), plus one event delivered a second time (a duplicate key
    across deliveries)."""
    landing = appended.incremental.landing_dir
    ticket_id, resolved = late_ticket(appended.incremental.build_path)
    reopens_before = october_reopens(appended.incremental.published_path)
    # local time without offset, as the generated event files write it
    local = resolved.replace(tzinfo=UTC).astimezone(ZoneInfo(TIMEZONE)).replace(tzinfo=None)
    late_events = [
        ("LATE-1", 60, "reply", "requester", "true", "", ""),
        ("LATE-2", 65, "status_change", "system", "", "resolved", "open"),
        ("LATE-3", 120, "reply", "agent", "true", "", ""),
        ("LATE-4", 180, "status_change", "agent", "", "open", "resolved"),
    ]
    with gzip.open(landing / "ticket_events" / "ticket_events.csv.gz", "rt") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        again = next(reader)
    rows = [
        [
            event_id,
            ticket_id,
            (local + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S"),
            event_type,
            actor,
            "",
            public,
            old,
            new,
        ]
        for event_id, minutes, event_type, actor, public, old, new in late_events
    ]
    path = landing / "ticket_events" / "ticket_events_2026-11-16_late.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([*rows, again])
    return Late(build_pair(appended.incremental, appended.refresh), ticket_id, reopens_before)


def test_an_appended_day_builds_incrementally(appended):
    assert appended.summary.build_mode == "incremental"
    assert appended.summary.full_build_reason is None
    assert appended.refresh_summary.build_mode == "full"
    assert appended.refresh_summary.full_build_reason == "--full-refresh"


def test_an_appended_day_publishes_what_a_full_refresh_publishes(appended):
    assert not differences(appended.incremental.published_path, appended.refresh.published_path)
    assert not model_differences(appended.incremental.build_path, appended.refresh.build_path)
    # and the day is in: its tickets count in the appended day's KPI rows
    with duckdb.connect(str(appended.incremental.published_path), read_only=True) as con:
        created = con.execute(
            "select created_count from mart_itsm_volumes where period_grain = 'day'"
            " and period_start = date '2026-11-16' and segment_type = 'all'"
        ).fetchall()
    assert created and created[0][0] > 0


def test_a_late_reopen_publishes_what_a_full_refresh_publishes(late):
    pair, ticket_id = late.pair, late.ticket_id
    assert pair.summary.build_mode == "incremental"
    assert not differences(pair.incremental.published_path, pair.refresh.published_path)
    assert not model_differences(pair.incremental.build_path, pair.refresh.build_path)
    found = {}
    for name, settings in (("incremental", pair.incremental), ("refresh", pair.refresh)):
        with duckdb.connect(str(settings.build_path), read_only=True) as con:
            found[name] = (
                con.execute(
                    "select * from marts.fct_tickets where ticket_id = ?", [ticket_id]
                ).fetchall(),
                con.execute(
                    "select event_id, _source_file from staging.stg_contract__ticket_events"
                    " where quarantine_reason = 'duplicate event_id'"
                ).fetchall(),
            )
    assert found["incremental"] == found["refresh"]
    ticket, duplicates = found["incremental"]
    with duckdb.connect(str(pair.incremental.build_path), read_only=True) as con:
        reopened = con.execute(
            "select reopen_count, is_reopened from marts.fct_tickets where ticket_id = ?",
            [ticket_id],
        ).fetchall()
    assert len(ticket) == 1 and reopened == [(1, True)]
    # October's reopen rate counts it now: one more reopened ticket of as many resolved
    numerator, denominator = late.reopens_before
    assert october_reopens(pair.incremental.published_path) == (numerator + 1, denominator)
    # the event delivered again is quarantined in its late file, the first delivery staged
    assert [Path(path).name for _event, path in duplicates] == ["ticket_events_2026-11-16_late.csv"]


def test_rows_in_equal_staged_plus_quarantined_after_incremental_builds(late):
    pair = late.pair
    with duckdb.connect(str(pair.incremental.published_path), read_only=True) as con:
        rows = con.execute(
            "select source_table, rows_in, staged_row_count, quarantined_row_count"
            " from quality_row_accounting"
        ).fetchall()
    for table, rows_in, staged, quarantined in rows:
        assert rows_in == staged + quarantined, table
    assert dict((row[0], row[1]) for row in rows)["ticket_events"] > 0


def raw_rows(build: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(build), read_only=True) as con:
        columns = [
            row[0]
            for row in con.execute(f"describe raw.{table}").fetchall()
            if row[0] != "_loaded_at"
        ]
        return con.execute(
            f"select {', '.join(columns)} from raw.{table} order by _row_number"
        ).fetchall()


def test_an_incremental_load_reads_only_new_deliveries_and_numbers_rows_as_a_full_load(
    warehouse, tmp_path
):
    landing = tmp_path / "landing"
    shutil.copytree(warehouse.landing, landing)
    build = tmp_path / "build.duckdb"
    first = load_landing(build, landing, datetime(2026, 11, 16, tzinfo=UTC))
    assert first.appended == []
    # an older delivery into the folder, with a column the contract lacks and day-first
    # dates: what the load notes about it must outlast the loads that keep it
    into_folders(landing)
    (landing / "tickets" / "tickets_2026-11-15_extra.csv").write_text(
        "ticket_id,ticket_type,requester_type,requester_id,channel,priority,category,"
        "service_id,team_id,assignee_id,status,created_at,resolved_at,closed_at,problem_id,"
        "caused_by_change_id,merged_into_ticket_id,origin,is_spam,followup_of_ticket_id,"
        "legacy_code\n"
        "TX-1,incident,employee,E000001,email,low,access,svc_vpn,it_l1,AG0001,open,"
        "25/10/2026 10:00,,,,,,requester,false,,A7\n",
        encoding="utf-8",
    )
    second = load_landing(build, landing, datetime(2026, 11, 17, tzinfo=UTC), incremental=True)
    assert second.appended == ["tickets"] and second.reloaded == []
    assert ("date_format", "tickets_2026-11-15_extra.csv") in {
        (note.kind, Path(note.path).name) for note in second.notes
    }
    assert [note.kind for note in second.notes if "legacy_code" in note.detail] == [
        "unknown_columns"
    ]
    append_days(landing, PROJECT_DIR, 2, seed=SEED)
    again = load_landing(build, landing, datetime(2026, 11, 18, tzinfo=UTC), incremental=True)
    # tickets.csv moved into tickets/: the same file, kept, its rows' paths updated
    assert again.reloaded == []
    assert sorted(again.appended) == ["ticket_events", "tickets"]
    assert again.moved == []  # moved before the second load, which read them there
    full = tmp_path / "full.duckdb"
    whole = load_landing(full, landing, datetime(2026, 11, 18, tzinfo=UTC))
    for table in ("tickets", "ticket_events", "employees"):
        assert raw_rows(build, table) == raw_rows(full, table), table
    assert sorted(map(astuple, again.notes)) == sorted(map(astuple, whole.notes))
    assert [table.ignored_columns for table in again.tables] == [
        table.ignored_columns for table in whole.tables
    ]
    with duckdb.connect(str(build), read_only=True) as con:
        new_rows = con.execute(
            "select count(*), count(distinct _source_file) from raw.tickets"
            " where _loaded_at = timestamp '2026-11-18'"
        ).fetchall()
    assert new_rows[0][0] > 0 and new_rows[0][1] == 2

    # a delivery that changed is read again, with every file of its table
    changed = landing / "tickets" / "tickets.csv"
    touched = changed.stat().st_mtime_ns + 1_000_000_000
    os.utime(changed, ns=(touched, touched))
    third = load_landing(build, landing, datetime(2026, 11, 19, tzinfo=UTC), incremental=True)
    assert third.reloaded == ["tickets"]
    assert third.appended == third.moved == []
    assert raw_rows(build, "tickets") == raw_rows(full, "tickets")
