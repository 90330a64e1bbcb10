"""The publication gate: measurable before published, lineage, and safe replacement."""

from __future__ import annotations

import csv
import itertools
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date

import duckdb
import great_expectations.expectations as gxe
import pytest

from nyckeltal.publish import (
    PublicationFacts,
    PublishError,
    clean_leftovers,
    publish,
    verify,
)
from nyckeltal.quality.expectations import Suite, default_suites

from conftest import Warehouse, make_settings, run_checked
from reference import local_date, parse_instant, read_rows

SURVEYS_END = date(2026, 7, 1)


def _truncate_surveys(path) -> None:
    """Surveys stop at SURVEYS_END (a stale source); every tenth lacks its score."""
    rows = list(read_rows(path))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for number, row in enumerate(rows):
            if local_date(parse_instant(row["responded_at"])) < SURVEYS_END:
                if number % 10 == 0:
                    row["score"] = ""
                writer.writerow(row)


@pytest.fixture(scope="module")
def gated(warehouse, tmp_path_factory) -> Warehouse:
    """A run with a failing dbt test, a failing expectation suite and a stale survey source."""
    root = tmp_path_factory.mktemp("gated")
    landing = root / "landing"
    shutil.copytree(warehouse.landing, landing)
    _truncate_surveys(landing / "survey_responses.csv")
    canary = Suite(
        "canary_changes",
        "model.nyckeltal.stg_contract__changes",
        "select change_id from staging.stg_contract__changes",
        lambda: [gxe.ExpectColumnValuesToBeNull(column="change_id")],
    )
    settings = replace(
        make_settings(root, landing),
        extra_vars={
            "gate_canary": True,
            "kpi_thresholds": {"itsm_escalation_rate": {"min_sample": 100000}},
        },
        suites=[*default_suites(), canary],
    )
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=warehouse.report, summary=summary)


def _reasons(store: Warehouse, kpi_id: str) -> list[tuple]:
    return store.query("select status, reasons, value from kpi_values where kpi_id = ?", [kpi_id])


def test_failing_dbt_test_withholds_only_its_descendants(gated):
    rows = _reasons(gated, "itsm_cost_per_ticket")
    assert rows
    for status, reasons, value in rows:
        assert status == "withheld" and value is None
        assert "lineage: check assert_gate_canary failed" in reasons
    assert "test.nyckeltal.assert_gate_canary" in gated.summary.failed_checks


def test_failing_expectation_withholds_only_its_descendants(gated):
    rows = _reasons(gated, "itsm_change_success_rate")
    assert rows
    for status, reasons, _value in rows:
        assert status == "withheld"
        assert "expectation suite canary_changes failed" in reasons
        assert "expect_column_values_to_be_null(change_id)" in reasons
    assert gated.summary.expectations_failed >= 1


def test_kpis_that_do_not_depend_on_a_failed_check_still_publish(gated):
    for kpi_id in ("itsm_mttr", "itsm_frt", "itsm_sla_compliance"):
        rows = _reasons(gated, kpi_id)
        assert any(status == "published" for status, _, _ in rows), kpi_id
        assert not any(reasons and "lineage" in reasons for _, reasons, _ in rows), kpi_id


def test_publication_log_counts_checks(gated):
    tests_failed, expectations_failed = gated.query(
        "select tests_failed, expectations_failed from publication_log"
        " order by finished_at desc limit 1"
    )[0]
    assert tests_failed == 1
    assert expectations_failed >= 1


def test_stale_source_withholds_later_periods_with_freshness(gated):
    rows = gated.query(
        """
        select period_start, status, reasons from kpi_values
        where kpi_id = 'itsm_csat' and period_grain = 'month' and segment_type = 'all'
        """
    )
    by_month = {start: (status, reasons) for start, status, reasons in rows}
    for month in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)):
        status, reasons = by_month[month]
        assert status == "withheld"
        assert reasons.startswith("freshness: survey_responses")
    assert "freshness" not in by_month[date(2026, 5, 1)][1]


def test_customer_revenue_is_as_fresh_as_its_newest_invoice_day(warehouse):
    """An event source: its watermark is the end of the newest staged invoice date's local day
    (in UTC), not the load time (invoices in another currency are quarantined)."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    newest = max(
        date.fromisoformat(row["invoice_date"])
        for row in read_rows(warehouse.landing / "customer_revenue.csv")
        if row["currency"] == "SEK"
    )
    day_end = datetime.combine(newest + timedelta(days=1), time(), ZoneInfo("Europe/Stockholm"))
    expected = day_end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    assert warehouse.query(
        "select watermark_kind, watermark_at from source_watermarks"
        " where source_name = 'customer_revenue'"
    ) == [("event", expected)]


def test_incomplete_source_withholds_with_completeness(gated):
    rows = _reasons(gated, "itsm_csat")
    assert rows
    for status, reasons, _value in rows:
        assert status == "withheld"
        assert "completeness: rows missing a required field in survey_responses" in reasons


def test_thresholds_can_be_overridden_by_configuration(gated):
    rows = _reasons(gated, "itsm_escalation_rate")
    assert rows
    for status, reasons, _value in rows:
        assert status == "withheld"
        assert "< 100000" in reasons


def _wilson_half_width(successes: float, total: int) -> float:
    z = 1.959963984540054
    share = successes / total
    return (
        z
        * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
        / (1 + z * z / total)
    )


def test_precision_rule_uses_the_wilson_interval(warehouse):
    # a withheld row publishes no numerator: take the counts from the build database
    rows = warehouse.query_build(
        """
        select kpi.status, kpi.reasons, counts.numerator, counts.n,
            kpi_catalog.max_ci_half_width, kpi_catalog.min_sample
        from marts.kpi_values as kpi
        inner join marts.fct_kpi_values as counts using (
            kpi_id, period_grain, period_start, segment_type, segment_value
        )
        inner join reference.kpi_catalog on kpi.kpi_id = kpi_catalog.kpi_id
        where kpi_catalog.max_ci_half_width is not null and counts.n > 0
            and kpi_catalog.unit = 'rate'
            -- a privacy reason replaces the others (they would reveal the group's size)
            and coalesce(kpi.reasons, '') not like 'small_group%'
        """
    )
    withheld = published = 0
    for status, reasons, numerator, n, limit, min_sample in rows:
        too_wide = _wilson_half_width(numerator, n) > limit
        assert (reasons is not None and "precision:" in reasons) == too_wide
        if too_wide:
            withheld += 1
            assert status == "withheld"
        elif n >= min_sample and status == "published":
            published += 1
    assert withheld > 0 and published > 0


def test_rows_below_the_minimum_sample_are_withheld(warehouse):
    rows = warehouse.query(
        """
        select kpi_values.status, kpi_values.reasons, kpi_values.n, kpi_catalog.min_sample
        from kpi_values
        inner join kpi_catalog on kpi_values.kpi_id = kpi_catalog.kpi_id
        where kpi_values.n < kpi_catalog.min_sample
        """
    )
    assert rows
    for status, reasons, n, min_sample in rows:
        assert status == "withheld"
        assert f"min_sample: n={n} < {min_sample}" in reasons


# ---- replacing the published file ---------------------------------------------------------

READER = """
import os, sys, time, duckdb
path, stop_file = sys.argv[1], sys.argv[2]
deadline, reads, errors = time.time() + 300, 0, 0
while time.time() < deadline and not os.path.exists(stop_file):
    try:
        with duckdb.connect(path, read_only=True) as con:
            run_id, published, provisional, withheld = con.execute(
                "select run_id, kpi_rows_published, kpi_rows_provisional, kpi_rows_withheld"
                " from publication_log order by finished_at desc limit 1").fetchall()[0]
            counts = dict(con.execute(
                "select status, count(*) from kpi_values group by 1").fetchall())
            marker = con.execute("select count(*) from kpi_catalog").fetchall()[0][0]
        if (counts.get("published", 0), counts.get("provisional", 0),
                counts.get("withheld", 0)) != (published, provisional, withheld) or marker != 29:
            print("MIXED", run_id, counts, flush=True)
            errors += 1
        reads += 1
    except Exception as error:
        print("ERROR", repr(error), flush=True)
        errors += 1
print("READS", reads, "ERRORS", errors, flush=True)
"""


def _facts(run_id: str) -> PublicationFacts:
    from datetime import UTC, datetime

    return PublicationFacts(run_id=run_id, started_at=datetime.now(UTC))


def test_readers_never_see_errors_or_mixed_rows_across_20_publishes(warehouse, tmp_path):
    target = tmp_path / "published.duckdb"
    build = warehouse.settings.build_path
    publish(target, build, _facts("first"))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target), str(tmp_path / "stop")],
        stdout=subprocess.PIPE,
        text=True,
    )
    inodes = [target.stat().st_ino]
    try:
        for number in range(20):
            run_id = f"run-{number}"
            publish(target, build, _facts(run_id))
            inodes.append(target.stat().st_ino)
            seen = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import duckdb,sys; print(duckdb.connect(sys.argv[1], read_only=True)"
                    ".execute('select run_id from publication_log order by finished_at desc"
                    " limit 1').fetchall()[0][0])",
                    str(target),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            assert seen == run_id
    finally:
        (tmp_path / "stop").touch()
        output, _ = reader.communicate(timeout=60)
    problems = [line for line in output.splitlines() if line.startswith(("ERROR ", "MIXED "))]
    assert problems == [], output
    assert "ERRORS 0" in output, output
    reads = int(output.split("READS")[1].split()[0])
    assert reads > 20, output
    # a new file every time (inode numbers of deleted files may come back later)
    assert all(before != after for before, after in itertools.pairwise(inodes))
    assert len(inodes) == 21


def test_planted_temp_file_and_stale_wal_never_reach_readers(warehouse, tmp_path):
    target = tmp_path / "published.duckdb"
    publish(target, warehouse.settings.build_path, _facts("good"))
    planted = tmp_path / ".publish-planted.duckdb.tmp"
    with duckdb.connect(str(planted)) as con:  # a valid database whose tables are empty
        for table in ("kpi_values", "kpi_catalog", "publication_log"):
            con.execute(f"create table {table} (run_id varchar, finished_at timestamp)")
    with pytest.raises(PublishError, match="empty"):
        verify(planted, "planted", {"kpi_values": 0, "kpi_catalog": 0, "publication_log": 0})
    wal = tmp_path / "published.duckdb.wal"
    wal.write_bytes(b"stale write-ahead log from another file")
    removed = clean_leftovers(target)
    assert planted in removed and wal in removed
    assert not planted.exists() and not wal.exists()
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select run_id from publication_log").fetchall()[-1][0] == "good"


KILLED_PUBLISH = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from nyckeltal.publish import PublicationFacts, publish
publish(Path(sys.argv[1]), Path(sys.argv[2]),
        PublicationFacts(run_id="killed", started_at=datetime.now(UTC)))
"""


def test_kill_just_before_the_rename_leaves_the_publication_identical(warehouse, tmp_path):
    target = tmp_path / "published.duckdb"
    publish(target, warehouse.settings.build_path, _facts("before"))
    before = target.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLISH, str(target), str(warehouse.settings.build_path)],
        env={**os.environ, "NYCKELTAL_TEST_PAUSE_BEFORE_RENAME": "60"},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while not list(tmp_path.glob(".publish-*")) and time.time() < deadline:
        time.sleep(0.2)
    # wait until the temporary file is verified and fsynced, i.e. the pause has begun
    line = process.stderr.readline()
    assert "pausing" in line, line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    assert target.read_bytes() == before
    assert list(tmp_path.glob(".publish-*"))  # the orphaned temporary file
    clean_leftovers(target)
    assert not list(tmp_path.glob(".publish-*"))
    publish(target, warehouse.settings.build_path, _facts("after"))
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select run_id from publication_log").fetchall()[-1][0] == "after"


def test_kill_during_the_build_leaves_the_publication_identical(warehouse, tmp_path):
    folder = tmp_path / "warehouse"
    folder.mkdir()
    target = folder / "published.duckdb"
    shutil.copy2(warehouse.published, target)
    before = target.read_bytes()
    environment = {**os.environ, "NYCKELTAL_WAREHOUSE_DIR": str(folder)}
    command = [sys.executable, "-m", "nyckeltal.cli", "run", "--landing", str(warehouse.landing)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.startswith("building models"):
            time.sleep(3)
            break
    process.kill()  # SIGKILL: no clean-up code runs; dbt, its child, dies with it
    process.wait(timeout=30)
    process.stdout.close()
    time.sleep(1)
    leftover = subprocess.run(
        ["pgrep", "-f", f"dbt.*{folder}"], capture_output=True, text=True, check=False
    )
    assert leftover.stdout.strip() == "", "dbt outlived the killed run"
    assert target.read_bytes() == before
    inode = target.stat().st_ino
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_ino != inode


def test_sqlalchemy_duckdb_engine_reads_the_publication(warehouse):
    from sqlalchemy import create_engine, text

    engine = create_engine(f"duckdb:///{warehouse.published}", connect_args={"read_only": True})
    with engine.connect() as connection:
        count = connection.execute(text("select count(*) from kpi_catalog")).scalar()
    engine.dispose()
    assert count == 29


def test_hr_only_landing_builds_and_withholds_what_it_cannot_measure(warehouse, tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    for name in ("employees.csv", "service_usage.parquet"):
        shutil.copy2(warehouse.landing / name, landing / name)
    settings = make_settings(tmp_path, landing)
    run_checked(settings)
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        statuses = dict(
            con.execute(
                """
                select kpi_id, list(distinct status) from kpi_values
                where period_grain = 'month' and segment_type = 'all' group by 1
                """
            ).fetchall()
        )
        reasons = con.execute(
            "select distinct reasons from kpi_values where kpi_id = 'itsm_mttr'"
        ).fetchall()
    assert "published" in statuses["ex_turnover"] or "provisional" in statuses["ex_turnover"]
    assert statuses["itsm_mttr"] == ["withheld"]
    assert all("not_available: not available from source (tickets)" in r for (r,) in reasons)


def test_docs_describe_the_publication_after_a_run_killed_while_publishing(warehouse, tmp_path):
    """The run's documentation is swapped in with its publication: killed just before the
    rename, docs/index.html still describes the published run."""
    folder = tmp_path / "warehouse"
    shutil.copytree(warehouse.settings.warehouse_dir / "docs", folder / "docs")
    shutil.copy2(warehouse.published, folder / "published.duckdb")
    environment = {
        **os.environ,
        "NYCKELTAL_WAREHOUSE_DIR": str(folder),
        "NYCKELTAL_TEST_PAUSE_BEFORE_RENAME": "60",
    }
    command = [sys.executable, "-m", "nyckeltal.cli", "run", "--landing", str(warehouse.landing)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.startswith("publishing"):
            time.sleep(3)
            break
    process.kill()
    process.wait(timeout=30)
    process.stdout.close()
    index = (folder / "docs" / "index.html").read_text(encoding="utf-8")
    assert warehouse.summary.run_id in index
    staged = list(folder.glob(".docs-*"))
    assert staged, "the killed run's documentation should wait beside docs/"
    assert warehouse.summary.run_id not in (staged[0] / "index.html").read_text(encoding="utf-8")


def test_the_generated_data_pass_every_check(warehouse):
    """Clean generated data: every dbt test and expectation passes, so a failure anywhere is
    a regression, not noise the gate has learnt to live with."""
    assert warehouse.summary.failed_checks == []
    assert warehouse.summary.tests_failed == 0 and warehouse.summary.expectations_failed == 0
