"""Landing file names: tables match case-insensitively; files no table reads and columns
the contract does not have are named."""

from __future__ import annotations

from datetime import UTC, datetime

from nyckeltal.landing import load_landing, unknown_landing_files


def test_table_names_match_case_insensitively_and_unknown_files_are_listed(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    header = (
        "ticket_id,ticket_type,requester_type,requester_id,channel,priority,team_id,status,"
        "created_at,legacy_flag"
    )
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
        for table in load_landing(tmp_path / "build.duckdb", landing, datetime.now(UTC))
    }
    assert loaded["tickets"].source_file == str(landing / "Tickets.CSV")
    assert loaded["tickets"].row_count == 1
    assert loaded["tickets"].ignored_columns == ("legacy_flag",)
    assert unknown_landing_files(landing) == [landing / "notes.txt", landing / "tickets_old.csv"]
