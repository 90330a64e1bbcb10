"""How the loader reads what a file does not say itself: day-first or month-first dates in
contract files (decided per file, like ServiceNow exports), a declared encoding, and the notes
it keeps about the landing folder (printed by the run, published, shown by `nyckeltal status`)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from nyckeltal.ingest import LandingError, ReadingOptions, load_landing
from nyckeltal.status import read_status

from conftest import Warehouse, make_settings, run_checked

# the required columns of tickets, and one ticket row before its created_at and resolved_at
TICKETS_HEADER = (
    "ticket_id,ticket_type,requester_type,requester_id,channel,priority,team_id,status,"
    "created_at,resolved_at"
)
TICKET = "incident,employee,E1,email,low,it_l1,resolved"


def _land_tickets(landing: Path, times: list[tuple[str, str]], encoding: str = "utf-8") -> Path:
    landing.mkdir(parents=True, exist_ok=True)
    rows = "".join(
        f"T{number},{TICKET},{created},{resolved}\n"
        for number, (created, resolved) in enumerate(times, start=1)
    )
    path = landing / "tickets.csv"
    path.write_bytes(f"{TICKETS_HEADER}\n{rows}".encode(encoding))
    return path


def _raw_times(build: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(build), read_only=True) as con:
        return con.execute(
            "select created_at, resolved_at from raw.tickets order by _row_number"
        ).fetchall()


def test_day_first_dates_are_read_as_iso_with_a_note(tmp_path):
    landing = tmp_path / "landing"
    path = _land_tickets(
        landing,
        [
            ("25/01/2026 10:00", "26/01/2026"),
            ("3.2.2026 09:15:30", ""),
            ("31/02/2026 10:00", "01/03/2026 08:00"),  # no 31 February: staging quarantines it
        ],
    )
    build = tmp_path / "build.duckdb"
    load = load_landing(build, landing, datetime.now(UTC))
    assert _raw_times(build) == [
        ("2026-01-25 10:00:00", "2026-01-26"),
        ("2026-02-03 09:15:30", None),
        ("31/02/2026 10:00", "2026-03-01 08:00:00"),
    ]
    notes = [(note.kind, note.path, note.detail, note.is_warning) for note in load.notes]
    assert notes == [("date_format", str(path), "dates read as DD/MM/YYYY", False)]


def test_month_first_dates_are_read_as_iso(tmp_path):
    landing = tmp_path / "landing"
    _land_tickets(landing, [("01/25/2026 10:00", "01/26/2026 11:00")])
    build = tmp_path / "build.duckdb"
    load_landing(build, landing, datetime.now(UTC))
    assert _raw_times(build) == [("2026-01-25 10:00:00", "2026-01-26 11:00:00")]


def test_ambiguous_dates_name_the_file_and_the_setting(tmp_path):
    landing = tmp_path / "landing"
    path = _land_tickets(landing, [("03/04/2026 10:00", "04/04/2026 10:00")])
    build = tmp_path / "build.duckdb"
    with pytest.raises(LandingError) as raised:
        load_landing(build, landing, datetime.now(UTC))
    assert str(path) in str(raised.value)
    assert "NYCKELTAL_DATE_FORMAT" in str(raised.value)
    load_landing(build, landing, datetime.now(UTC), ReadingOptions(date_format="mdy"))
    assert _raw_times(build) == [("2026-03-04 10:00:00", "2026-04-04 10:00:00")]


def test_mostly_iso_files_stay_iso(tmp_path):
    """A stray slash date in an ISO file is not reinterpreted: staging quarantines it."""
    landing = tmp_path / "landing"
    _land_tickets(
        landing,
        [("2026-01-25 10:00:00", ""), ("2026-01-26 10:00:00", ""), ("27/01/2026 10:00", "")],
    )
    build = tmp_path / "build.duckdb"
    assert load_landing(build, landing, datetime.now(UTC)).notes == []
    assert _raw_times(build)[2] == ("27/01/2026 10:00", None)


def test_a_declared_encoding_reads_without_a_warning_and_utf8_only_refuses(tmp_path):
    landing = tmp_path / "landing"
    path = _land_tickets(landing, [("2026-01-25 10:00:00", "")], encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace("E1", "Åsa")
    path.write_bytes(text.encode("cp1252"))
    build = tmp_path / "build.duckdb"

    detected = load_landing(build, landing, datetime.now(UTC)).notes
    assert [(note.kind, note.is_warning) for note in detected] == [("encoding", True)]
    assert "windows-1252 (detected)" in detected[0].detail

    declared = load_landing(
        build, landing, datetime.now(UTC), ReadingOptions(encoding="windows-1252")
    ).notes
    assert [(note.kind, note.is_warning) for note in declared] == [("encoding", False)]
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select requester_id from raw.tickets").fetchall() == [("Åsa",)]

    with pytest.raises(LandingError) as raised:
        load_landing(build, landing, datetime.now(UTC), ReadingOptions(encoding="utf-8"))
    assert str(path) in str(raised.value)
    assert "NYCKELTAL_LANDING_ENCODING" in str(raised.value)


def _rewrite_events_day_first(landing: Path) -> int:
    """ticket_events.csv.gz with every occurred_at as DD/MM/YYYY HH:MM; its row count."""
    path = landing / "ticket_events.csv.gz"
    copy = landing.parent / "events-iso.csv.gz"
    shutil.move(path, copy)
    with duckdb.connect() as con:
        con.execute(
            f"""
            copy (
                select * replace (strftime(strptime(occurred_at, '%Y-%m-%d %H:%M:%S'),
                    '%d/%m/%Y %H:%M') as occurred_at)
                from read_csv('{copy}', all_varchar = true, header = true)
            ) to '{path}' (header true, compression gzip)
            """
        )
        return con.execute(f"select count(*) from read_csv('{path}')").fetchall()[0][0]


def test_a_day_first_event_export_publishes_like_an_iso_one(warehouse, tmp_path):
    """All events in DD/MM/YYYY HH:MM, an unknown file and an extra column: the run stages
    every event, withholds no more ITSM rows than the ISO run, and lists what it noticed in
    its output, in quality_landing_notes and in `nyckeltal status`."""
    landing = tmp_path / "landing"
    shutil.copytree(warehouse.landing, landing)
    event_rows = _rewrite_events_day_first(landing)
    (landing / "notes.txt").write_text("exported by hand", encoding="utf-8")
    with duckdb.connect() as con:
        tickets = landing / "tickets.csv"
        con.execute(
            f"copy (select *, 'x' as legacy_flag from read_csv('{tickets}', all_varchar = true))"
            f" to '{landing / 'tickets.tmp'}' (header true)"
        )
    (landing / "tickets.tmp").replace(landing / "tickets.csv")

    lines: list[str] = []
    settings = make_settings(tmp_path, landing)
    summary = run_checked(settings, lines.append)
    run = Warehouse(settings=settings, report=None, summary=summary)

    assert f"  note: {landing / 'ticket_events.csv.gz'}: dates read as DD/MM/YYYY" in lines
    # same project, versions, vars, key and day as the session warehouse: its unit test
    # results are reused, and count as this run's checks
    reused = [line for line in lines if "unit test results reused from run" in line]
    assert reused, lines
    assert summary.tests_passed == warehouse.summary.tests_passed
    assert f"  warning: {landing / 'notes.txt'}: no table of the contract: ignored" in lines
    accounting = run.query(
        "select rows_in, staged_row_count, quarantined_row_count from quality_row_accounting"
        " where source_table = 'ticket_events'"
    )
    assert accounting == [(event_rows, event_rows, 0)]

    def itsm_statuses(source: Warehouse) -> dict:
        return dict(
            source.query(
                """
                select kpi_id || ' ' || cast(period_start as varchar), status
                from kpi_values
                where kpi_id like 'itsm%' and period_grain = 'month' and segment_type = 'all'
                """
            )
        )

    assert itsm_statuses(run) == itsm_statuses(warehouse)

    notes = read_status(settings.published_path)["landing_notes"]
    assert {(note["kind"], Path(note["source_file"]).name) for note in notes} == {
        ("date_format", "ticket_events.csv.gz"),
        ("unknown_file", "notes.txt"),
        ("unknown_columns", "tickets.csv"),
    }
