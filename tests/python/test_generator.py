"""The generator is deterministic for a seed and writes every table of the contract."""

from __future__ import annotations

import gzip

from nyckeltal.generate import generate_landing
from nyckeltal.ingest.contract import TABLES

from reference import read_rows

PROJECT_DIR = __import__("conftest").PROJECT_DIR
DATA_LAST_DATE = __import__("conftest").DATA_LAST_DATE


def _content(path):
    if path.name.endswith(".gz"):
        return gzip.decompress(path.read_bytes())
    return path.read_bytes()


def test_same_seed_same_files(tmp_path):
    first = generate_landing(
        tmp_path / "a", PROJECT_DIR, scale="1500", seed=7, last_date=DATA_LAST_DATE
    )
    second = generate_landing(
        tmp_path / "b", PROJECT_DIR, scale="1500", seed=7, last_date=DATA_LAST_DATE
    )
    other = generate_landing(
        tmp_path / "c", PROJECT_DIR, scale="1500", seed=8, last_date=DATA_LAST_DATE
    )
    names = sorted(path.name for path in first.landing_dir.iterdir())
    assert names == sorted(path.name for path in second.landing_dir.iterdir())
    for name in names:
        if name.endswith(".parquet"):
            continue
        assert _content(first.landing_dir / name) == _content(second.landing_dir / name), name
    assert _content(first.landing_dir / "tickets.csv") != _content(
        other.landing_dir / "tickets.csv"
    )


def test_writes_every_non_reference_table(warehouse):
    written = {path.name.split(".")[0] for path in warehouse.landing.iterdir()}
    expected = {table.name for table in TABLES if not table.is_reference}
    assert expected <= written


def test_tickets_look_like_a_service_desk(warehouse):
    tickets = list(read_rows(warehouse.landing / "tickets.csv"))
    assert len(tickets) == 20_000
    events = sum(1 for _ in read_rows(warehouse.landing / "ticket_events.csv.gz"))
    assert 6 <= events / len(tickets) <= 12
    statuses = {row["status"] for row in tickets}
    assert {"closed", "resolved", "open", "cancelled"} <= statuses
    channels = {row["channel"] for row in tickets}
    assert {"phone", "email", "chat", "portal", "walk_in"} <= channels


def test_the_data_end_the_day_before_today(tmp_path):
    """`--as-of` (or NYCKELTAL_AS_OF) is "today": the data end the day before, and cover the
    22 whole months before that month; without it, today is today."""
    import os
    import subprocess
    import sys
    from datetime import UTC, date, datetime, timedelta

    from nyckeltal.generate import data_window

    assert data_window(date(2026, 11, 15)) == (date(2025, 1, 1), date(2026, 11, 15))
    assert data_window(date(2027, 1, 31)) == (date(2025, 3, 1), date(2027, 1, 31))
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    assert data_window()[1] == yesterday

    landing = tmp_path / "landing"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nyckeltal.cli",
            "generate",
            "--scale",
            "300",
            "--landing",
            str(landing),
            "--as-of",
            "2026-03-05",
        ],
        env={**os.environ, "NYCKELTAL_PROJECT_DIR": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    created = [row["created_at"][:10] for row in read_rows(landing / "tickets.csv")]
    assert "2026-02-20" <= max(created) <= "2026-03-04"
    assert "2024-05-01" <= min(created) <= "2024-05-15"
    usage_months = {row["month"][:7] for row in read_rows(landing / "support_costs.csv")}
    assert min(usage_months) == "2024-05" and max(usage_months) == "2026-03"


def test_generated_keys_grow_instead_of_colliding():
    """DuckDB's lpad cuts a longer text to the width: customer 1,000,001 would become C100000,
    a second customer 100000 (from --scale 5000000 on). Keys are printf'd, which pads and
    never cuts."""
    from pathlib import Path

    import duckdb

    import nyckeltal.generate

    folder = Path(nyckeltal.generate.__file__).parent
    assert [path.name for path in folder.glob("*.py") if "lpad(" in path.read_text("utf-8")] == []
    with duckdb.connect() as con:
        assert con.execute("select 'C' || printf('%06d', 1000001)").fetchall() == [("C1000001",)]


def test_chunks_number_tickets_and_events_on(tmp_path, monkeypatch):
    """Above CHUNK_TICKETS the generator draws tickets a chunk at a time, and invoices a block
    of customers at a time (xlarge in bounded memory). The chunks' keys continue instead of
    restarting, and every reference a chunk makes (events, merges, follow-ups, problems,
    invoices) points at a row that exists."""
    import duckdb

    import nyckeltal.generate
    import nyckeltal.generate.people

    monkeypatch.setattr(nyckeltal.generate, "CHUNK_TICKETS", 700)
    monkeypatch.setattr(nyckeltal.generate.people, "CHUNK_CUSTOMERS", 150)
    landing = tmp_path / "landing"
    report = generate_landing(landing, PROJECT_DIR, scale="2000", last_date=DATA_LAST_DATE)
    assert nyckeltal.generate.chunk_sizes(2000, 700) == [700, 700, 600]
    tickets = list(read_rows(landing / "tickets.csv"))
    ids = {row["ticket_id"] for row in tickets}
    assert len(ids) == len(tickets) == report.row_counts["tickets"]
    assert len(tickets) > 1990  # a few created after the data's end are dropped
    assert max(ids) > "T0001400"  # the third chunk numbered on
    for column in ("merged_into_ticket_id", "followup_of_ticket_id", "problem_id"):
        referenced = {row[column] for row in tickets if row[column]}
        assert referenced and referenced <= ids, column
    with duckdb.connect() as con:
        events = con.execute(
            f"""
            select count(*), count(distinct event_id), count(distinct ticket_id),
                count(*) filter (where ticket_id not in (select unnest(?::varchar[])))
            from read_csv('{landing / "ticket_events.csv.gz"}', all_varchar = true)
            """,
            [sorted(ids)],
        ).fetchall()[0]
    assert events[0] == events[1] == report.row_counts["ticket_events"]
    assert events[2] > 0.99 * len(tickets) and events[3] == 0
    for name in ("survey_responses.csv", "self_service_sessions.csv"):
        assert sum(1 for _ in read_rows(landing / name)) > 0, name
    customers = {row["customer_id"] for row in read_rows(landing / "customers.csv")}
    invoices = list(read_rows(landing / "customer_revenue.csv"))
    assert len({row["invoice_id"] for row in invoices}) == len(invoices) > 0
    invoiced = {row["customer_id"] for row in invoices}
    assert invoiced <= customers and max(invoiced) > "C000450"  # the last block is drawn too
