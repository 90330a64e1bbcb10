"""Landing file names: tables match case-insensitively; files no table reads and columns
the contract does not have are named."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from nyckeltal.ingest import LandingError, load_landing, unknown_landing_files

# the required columns of tickets
TICKETS_HEADER = (
    "ticket_id,ticket_type,requester_type,requester_id,channel,priority,team_id,status,created_at"
)


def test_table_names_match_case_insensitively_and_unknown_files_are_listed(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    header = TICKETS_HEADER + ",legacy_flag"
    (landing / "Tickets.CSV").write_text(
        f"{header}\nT1,incident,employee,E1,email,low,it_l1,open,2026-01-15T10:00:00Z,x\n",
        encoding="utf-8",
    )
    (landing / "tickets_old.csv").write_text(f"{header}\n", encoding="utf-8")
    (landing / "notes.txt").write_text("remember the milk", encoding="utf-8")
    (landing / ".DS_Store").write_bytes(b"\0")
    (landing / "servicenow").mkdir()

    loaded = {
        table.table: table
        for table in load_landing(tmp_path / "build.duckdb", landing, datetime.now(UTC)).tables
    }
    assert loaded["tickets"].source_file == str(landing / "Tickets.CSV")
    assert loaded["tickets"].row_count == 1
    assert loaded["tickets"].ignored_columns == ("legacy_flag",)
    assert unknown_landing_files(landing) == [landing / "notes.txt", landing / "tickets_old.csv"]


@pytest.mark.parametrize("faulty_line", [1, 15_001])
def test_a_latin1_file_gets_the_same_answer_wherever_the_fault_sits(tmp_path, faulty_line):
    """Encoding is decided per file before loading: a Windows-1252 'Växjö' on the first line
    or on line 15,001 loads every row, decoded, with a warning (never quarantined lines)."""
    landing = tmp_path / "landing"
    landing.mkdir()
    header = TICKETS_HEADER + ",category"
    lines = [
        f"T{n},incident,employee,E1,email,low,it_l1,open,2026-01-15T10:00:00Z,"
        + ("Växjö" if n == faulty_line else "plain")
        for n in range(1, 20_001)
    ]
    (landing / "tickets.csv").write_bytes(
        (header + "\n" + "\n".join(lines) + "\n").encode("cp1252")
    )
    build = tmp_path / "build.duckdb"
    loaded = {
        table.table: table for table in load_landing(build, landing, datetime.now(UTC)).tables
    }
    assert loaded["tickets"].row_count == 20_000
    assert loaded["tickets"].rejected_count == 0
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute(
            "select ticket_id from raw.tickets where category = 'Växjö'"
        ).fetchall() == [(f"T{faulty_line}",)]


def test_a_folder_named_after_a_table_holds_several_deliveries(tmp_path):
    landing = tmp_path / "landing"
    folder = landing / "Tickets"
    folder.mkdir(parents=True)
    header = TICKETS_HEADER
    for year, ids in (("2025", ("T1", "T2")), ("2026", ("T3",))):
        rows = "".join(
            f"{ticket_id},incident,employee,E1,email,low,it_l1,open,{year}-01-15T10:00:00Z\n"
            for ticket_id in ids
        )
        (folder / f"{year}.csv").write_text(f"{header}\n{rows}", encoding="utf-8")
    (folder / "README.txt").write_text("deliveries", encoding="utf-8")
    build = tmp_path / "build.duckdb"
    loaded = {
        table.table: table for table in load_landing(build, landing, datetime.now(UTC)).tables
    }
    assert loaded["tickets"].row_count == 3
    assert loaded["tickets"].source_file == f"{folder / '2025.csv'}; {folder / '2026.csv'}"
    with duckdb.connect(str(build), read_only=True) as con:
        numbers = con.execute("select _row_number from raw.tickets order by 1").fetchall()
    assert numbers == [(1,), (2,), (3,)]
    assert unknown_landing_files(landing) == [folder / "README.txt"]


def test_a_table_file_beside_its_folder_is_ambiguous(tmp_path):
    landing = tmp_path / "landing"
    (landing / "tickets").mkdir(parents=True)
    (landing / "tickets.csv").write_text("ticket_id\n", encoding="utf-8")
    with pytest.raises(LandingError, match="table tickets has more than one file"):
        load_landing(tmp_path / "build.duckdb", landing, datetime.now(UTC))
