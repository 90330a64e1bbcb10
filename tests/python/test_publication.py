"""The published contract: what BI tools read, and how it is replaced."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nyckeltal.lock import RunLock
from nyckeltal.runlog import read_run_records

KPI_VALUE_COLUMNS = [
    "kpi_id",
    "period_grain",
    "period_start",
    "segment_type",
    "segment_value",
    "value",
    "numerator",
    "denominator",
    "n",
    "unit",
    "status",
    "reasons",
]


def test_kpi_values_has_the_contract_columns(warehouse):
    columns = [
        row[0]
        for row in warehouse.query(
            "select column_name from information_schema.columns"
            " where table_name = 'kpi_values' order by ordinal_position"
        )
    ]
    assert columns[: len(KPI_VALUE_COLUMNS)] == KPI_VALUE_COLUMNS
    assert {"ci_low", "ci_high", "target", "target_met", "previous_value"} <= set(columns)


def test_catalog_lists_all_29_kpis(warehouse):
    rows = warehouse.query(
        "select kpi_id, name_en, name_sv, family, kpi_type, unit, direction from kpi_catalog"
    )
    assert len(rows) == 29
    families = {row[3] for row in rows}
    assert families == {"ITSM", "EX", "CX", "customer_service"}
    for row in rows:
        assert all(value for value in row), row


def test_status_rules_hold_for_every_row(warehouse):
    rows = warehouse.query("select status, value, reasons, period_grain from kpi_values")
    assert rows
    for status, value, reasons, grain in rows:
        assert grain in {"day", "week", "month", "quarter"}
        if status == "withheld":
            assert value is None and reasons
        else:
            assert status in {"published", "provisional"}
            assert value is not None and math.isfinite(value)


def test_publication_log_names_this_run(warehouse):
    run_id = warehouse.query(
        "select run_id from publication_log order by finished_at desc limit 1"
    )[0][0]
    assert run_id == warehouse.summary.run_id


def test_published_file_is_storage_version_1_4(warehouse):
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse.published}' as pub (read_only)")
        version = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'pub'"
        ).fetchall()
    assert version and version[0][0].startswith("v1.4.0")


def test_a_duckdb_1_4_reader_opens_the_published_file(warehouse, duckdb14_python):
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "print(con.execute('select count(*) from kpi_values').fetchone()[0])\n"
        "print(con.execute('select count(*) from kpi_catalog').fetchone()[0])\n"
    )
    result = subprocess.run(
        [str(duckdb14_python), "-c", script, str(warehouse.published)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    version, values, catalog = result.stdout.split()
    assert version.startswith("1.4.")
    assert int(values) == warehouse.query("select count(*) from kpi_values")[0][0]
    assert int(catalog) == 29


def _run_cli(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nyckeltal.cli", *args],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _copy_published(warehouse, root: Path) -> Path:
    folder = root / "warehouse"
    folder.mkdir()
    target = folder / "published.duckdb"
    shutil.copy2(warehouse.published, target)
    return target


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ticket_events.csv.gz", b"this is not gzip at all"),
        ("service_usage.parquet", b"PAR1 not really parquet"),
        ("tickets.csv", b"\xff\xfe\x00garbage that is not utf-8\x00\xff"),
        # every date fits both DD/MM and MM/DD: ambiguous without a configured format
        ("servicenow/incident.csv", b"number,opened_at\nINC1,03/04/2026 10:00\n"),
    ],
)
def test_unreadable_file_fails_the_run_and_keeps_the_publication(
    warehouse, tmp_path, name, content
):
    landing = tmp_path / "landing"
    shutil.copytree(warehouse.landing, landing)
    (landing / name).parent.mkdir(exist_ok=True)
    (landing / name).write_bytes(content)
    published = _copy_published(warehouse, tmp_path)
    before = published.read_bytes()
    result = _run_cli(
        ["run", "--landing", str(landing)],
        {"NYCKELTAL_WAREHOUSE_DIR": str(tmp_path / "warehouse")},
    )
    assert result.returncode == 3, result.stderr
    assert str(landing / name) in result.stderr
    assert "Traceback" not in result.stderr
    assert published.read_bytes() == before
    # the failed run is in the run log, and its last line is the journal's summary
    record = read_run_records(tmp_path / "warehouse")[-1]
    assert record["exit_code"] == 3
    assert record["outcome"] == "failed"
    assert str(landing / name) in record["error"]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"nyckeltal run {record['run_id']} failed exit=3 ")


def test_a_second_run_exits_with_the_lock_code(warehouse, tmp_path):
    folder = tmp_path / "warehouse"
    with RunLock(folder):
        result = _run_cli(
            ["run", "--landing", str(warehouse.landing)],
            {"NYCKELTAL_WAREHOUSE_DIR": str(folder)},
        )
    assert result.returncode == 75
    assert "another nyckeltal run holds the lock" in result.stderr
    assert read_run_records(folder)[-1]["exit_code"] == 75


def test_status_reports_the_last_publication(warehouse):
    result = _run_cli(
        ["status"], {"NYCKELTAL_WAREHOUSE_DIR": str(warehouse.settings.warehouse_dir)}
    )
    assert result.returncode == 0, result.stderr
    assert warehouse.summary.run_id in result.stdout
    assert "itsm_mttr" in result.stdout


def test_help_explains_every_command():
    result = _run_cli(["--help"], {})
    assert result.returncode == 0
    for command in ("generate", "run", "status"):
        assert command in result.stdout
    assert "75" in result.stdout


def test_no_raw_person_identifier_reaches_the_published_database(warehouse):
    from reference import read_rows

    identifiers = set()
    for table, columns in {
        "tickets.csv": ("requester_id", "assignee_id"),
        "survey_responses.csv": ("respondent_id",),
        "employees.csv": ("employee_id",),
        "customers.csv": ("customer_id",),
        "agents.csv": ("agent_id", "employee_id"),
    }.items():
        for row in read_rows(warehouse.landing / table):
            identifiers.update(row[column] for column in columns if row[column])
    assert identifiers
    with duckdb.connect(str(warehouse.published), read_only=True) as con:
        text_columns = con.execute(
            "select table_name, column_name from information_schema.columns"
            " where data_type = 'VARCHAR'"
        ).fetchall()
        for table, column in text_columns:
            values = {
                row[0]
                for row in con.execute(f'select distinct "{column}" from "{table}"').fetchall()
            }
            leaked = values & identifiers
            assert not leaked, (table, column, sorted(leaked)[:3])


def test_parquet_copies_are_published_beside_the_database(warehouse):
    link = warehouse.published.parent / "parquet"
    assert link.is_symlink()
    folder = link.resolve()
    assert folder.name == f"parquet-{warehouse.summary.run_id}"
    with duckdb.connect() as con:
        count = con.execute(
            f"select count(*) from read_parquet('{folder}/kpi_values/*/*/*.parquet',"
            " hive_partitioning = true)"
        ).fetchall()[0][0]
    assert count == warehouse.query("select count(*) from kpi_values")[0][0]
    assert not list(warehouse.published.parent.glob(".parquet-*"))


def test_run_documentation_links_every_suite_and_the_dbt_docs(warehouse):
    index = warehouse.summary.docs_index
    assert index is not None and index.exists()
    text = index.read_text(encoding="utf-8")
    assert warehouse.summary.run_id in text
    assert 'href="dbt/index.html"' in text
    for suite in ("stg_tickets", "fct_tickets", "kpi_values", "ticket_working_days"):
        assert f">{suite}</a>" in text, suite
    assert (index.parent / "dbt" / "index.html").stat().st_size > 10_000


def test_status_json_lists_watermarks_counts_and_withheld_reasons(warehouse):
    result = _run_cli(
        ["status", "--json"], {"NYCKELTAL_WAREHOUSE_DIR": str(warehouse.settings.warehouse_dir)}
    )
    assert result.returncode == 0, result.stderr

    status = json.loads(result.stdout)
    assert status["publication"]["run_id"] == warehouse.summary.run_id
    # typed: numbers as numbers, the watermarks as a nested object
    assert isinstance(status["publication"]["tests_passed"], int)
    assert status["publication"]["tests_passed"] > 0
    assert isinstance(status["publication"]["source_watermarks"], dict)
    assert status["publication"]["source_watermarks"]["tickets"]
    sources = {source["source"]: source for source in status["sources"]}
    assert sources["tickets"]["present"] and sources["tickets"]["watermark_at"]
    assert set(status["rows_by_kpi"]["itsm_mttr"]) <= {"published", "provisional", "withheld"}
    assert all(row["reasons"] for row in status["withheld_month_rows"])
    assert status["landing_notes"] == []  # the generated data give the loader nothing to say


def test_status_judges_staleness_as_of_today_or_the_given_day(warehouse):
    """The data end on 2026-11-15: fresh the day after, stale (beyond the tickets' 48 hours)
    a week later; --as-of is "today" for status as it is for the run."""

    def stale(as_of: str) -> dict[str, bool]:
        result = _run_cli(
            ["status", "--json", "--as-of", as_of],
            {"NYCKELTAL_WAREHOUSE_DIR": str(warehouse.settings.warehouse_dir)},
        )
        assert result.returncode == 0, result.stderr
        return {
            source["source"]: source["stale"] for source in json.loads(result.stdout)["sources"]
        }

    assert stale("2026-11-16")["tickets"] is False
    assert stale("2026-11-23")["tickets"] is True


def test_generate_dirty_prints_every_planted_defect(tmp_path):
    result = _run_cli(
        ["generate", "--scale", "500", "--dirty", "--landing", str(tmp_path / "landing")], {}
    )
    assert result.returncode == 0, result.stderr
    assert "planted defects:" in result.stdout
    for name in ("duplicate_key", "orphan_event", "score_out_of_scale", "malformed_csv_line"):
        assert name in result.stdout


def test_unknown_scale_is_a_usage_error(tmp_path):
    result = _run_cli(["generate", "--scale", "huge", "--landing", str(tmp_path)], {})
    assert result.returncode == 2
    assert "--scale huge" in result.stderr


def test_the_pseudonym_key_appears_in_no_file_the_run_writes(warehouse):
    """The key (quotes and a backslash included) reaches SQL only as a session variable: not in
    the databases, dbt's manifest, partial-parse cache, compiled SQL, logs or docs."""
    from conftest import TEST_KEY

    needles = {TEST_KEY.encode(), TEST_KEY.replace("'", "''").encode(), TEST_KEY[:12].encode()}
    files = [path for path in warehouse.settings.warehouse_dir.rglob("*") if path.is_file()]
    assert any(path.name == "manifest.json" for path in files)
    assert any(path.name == "partial_parse.msgpack" for path in files)
    assert any(path.suffix == ".log" for path in files)
    leaks = [str(path) for path in files if any(needle in path.read_bytes() for needle in needles)]
    assert leaks == []
    # and it was used: person identifiers are hashed with it, not with the default key
    import hashlib

    from reference import read_rows

    raw = next(iter(read_rows(warehouse.landing / "tickets.csv")))["requester_id"]
    hashed = hashlib.sha256(f"{TEST_KEY}|{raw}".encode()).hexdigest()
    assert (
        warehouse.query("select count(*) from fct_tickets where requester_id = ?", [hashed])[0][0]
        > 0
    )


def test_a_table_that_arrives_empty_stops_the_run_unless_the_shrink_is_accepted(
    warehouse, tmp_path
):
    """A header-only tickets.csv after a publication with tickets: exit 7, one line naming the
    table and the last publication's rows, the publication byte-identical; --accept-shrink
    publishes it."""
    landing = tmp_path / "landing"
    shutil.copytree(warehouse.landing, landing)
    tickets = landing / "tickets.csv"
    tickets.write_text(tickets.read_text(encoding="utf-8").splitlines()[0] + "\n")
    published = _copy_published(warehouse, tmp_path)
    before = published.read_bytes()
    staged = warehouse.query(
        "select staged_row_count from quality_row_accounting where source_table = 'tickets'"
    )[0][0]
    environment = {
        "NYCKELTAL_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "NYCKELTAL_PSEUDONYM_KEY": "k",
    }
    result = _run_cli(["run", "--landing", str(landing)], environment)
    assert result.returncode == 7, result.stderr
    assert f"  tickets: 0 rows (last publication: {staged:,} staged)" in result.stderr
    assert "Traceback" not in result.stderr
    assert published.read_bytes() == before

    result = _run_cli(["run", "--landing", str(landing), "--accept-shrink"], environment)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(
            "select rows_in from quality_row_accounting where source_table = 'tickets'"
        ).fetchall() == [(0,)]
