"""`nyckeltal bench` (smoke test at a small scale, no timing asserted) and the run log."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from nyckeltal import dbt, runlog
from nyckeltal.bench import measure, tree_rss
from nyckeltal.dbt import NodeResult
from nyckeltal.pipeline import RunSummary

from conftest import PROJECT_DIR, make_settings

BENCH_SCALE = "3000"


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    history = work / "history.jsonl"
    command = [
        sys.executable,
        "-m",
        "nyckeltal.cli",
        "bench",
        "--scale",
        BENCH_SCALE,
        "--work-dir",
        str(work),
        "--history",
        str(history),
        "--json",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return work, history, json.loads(result.stdout)


def test_bench_prints_and_appends_the_figures(bench):
    _work, history, figures = bench
    lines = history.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [figures]
    assert figures["tickets"] == int(BENCH_SCALE)
    assert set(figures["seconds_by_phase"]) >= {"load", "build", "check", "publish"}
    assert figures["run_seconds"] >= sum(figures["seconds_by_phase"].values()) - 1e-6
    assert figures["landed_rows"] > int(BENCH_SCALE)
    assert figures["run_peak_bytes"] > 50 * 2**20  # dbt and DuckDB were sampled, not just python
    assert figures["reference_peak_bytes"] > 0
    assert figures["generate_seconds"] > 0  # generated in this run, in a measured child
    assert figures["generate_peak_bytes"] > 50 * 2**20
    assert figures["ratio"] == pytest.approx(
        figures["run_seconds"] / figures["reference_seconds"], rel=0.01
    )
    assert len(figures["slowest_nodes"]) == 10
    assert all(
        name.startswith(("model.", "test.", "seed.", "unit_test."))
        for name, _ in figures["slowest_nodes"]
    )
    assert figures["published_db_bytes"] > 0
    assert figures["parquet_bytes"] > 0


def test_bench_reuses_the_generated_data(bench):
    work, _history, _figures = bench
    folders = list((work / "data").iterdir())
    assert len(folders) == 1
    assert (folders[0] / ".complete").exists()


def test_the_reference_agrees_with_the_published_month_values(bench):
    """The hand-written reference computes what the pipeline publishes (month, all)."""
    work, _history, figures = bench
    landing = next((work / "data").iterdir()) / "landing"
    result = subprocess.run(
        [sys.executable, "-m", "nyckeltal.bench.reference", str(landing)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)["rows"]
    published = Path(figures["warehouse"]) / "published.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        values = {
            (kpi, str(period)): (n, value, status)
            for kpi, period, n, value, status in con.execute(
                "select kpi_id, period_start, n, value, status from kpi_values"
                " where period_grain = 'month' and segment_type = 'all'"
            ).fetchall()
        }
    compared = 0
    for row in rows:
        period = row["period_start"][:10]
        pairs = (
            [("itsm_frt", row["median"]), ("itsm_afrt", row["mean"])]
            if row["kpi_id"] == "itsm_frt"
            else [(row["kpi_id"], row["mean"])]
        )
        for kpi_id, expected in pairs:
            n, value, status = values[(kpi_id, period)]
            assert n == row["n"], (kpi_id, period)
            if status == "withheld":  # a withheld number is not published: nothing to compare
                assert value is None
                continue
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), (kpi_id, period)
            compared += 1
    assert compared > 4 * 20


def test_the_tree_sampler_counts_children():
    own = tree_rss(os.getpid())
    assert own > 0
    # a child that holds ~200 MiB: the tree's peak includes it
    measured = measure(
        [sys.executable, "-c", "import time; b = bytearray(200 * 2**20); time.sleep(1.0)"]
    )
    assert measured.returncode == 0
    assert measured.peak_bytes > 200 * 2**20


def _record(run_id: str, code: int, error: str | None = None) -> dict:
    summary = RunSummary(run_id=run_id, generated_default=False)
    summary.seconds_by_phase = {"load": 1.0, "build": 2.0}
    summary.status_counts = {"published": 10, "withheld": 2}
    summary.landed_rows = 123
    summary.record([])
    return runlog.run_record(summary, code, 3.25, error)


def test_the_summary_line_says_outcome_code_and_counts():
    assert runlog.summary_line(_record("r1", 0)) == (
        "nyckeltal run r1 published exit=0 seconds=3.2 landed_rows=123 build=full"
        " published=10 withheld=2 checks_failed=0"
    )
    failed = runlog.summary_line(_record("r2", 4, "model.x: boom\nmore"))
    assert failed == (
        "nyckeltal run r2 failed exit=4 seconds=3.2 landed_rows=123 build=full error=model.x: boom"
    )


def test_the_run_records_rotate(tmp_path, monkeypatch):
    monkeypatch.setattr(runlog, "LOG_BYTES", 400)
    for index in range(40):
        runlog.append_run_record(tmp_path, _record(f"run{index}", 0))
    folder = runlog.logs_dir(tmp_path)
    kept = sorted(path.name for path in folder.iterdir())
    assert kept[0] == "runs.jsonl"
    assert len(kept) == 1 + runlog.BACKUPS
    assert runlog.read_run_records(tmp_path)[-1]["run_id"] == "run39"
    assert all(path.stat().st_size < 2 * 400 for path in folder.iterdir())


def test_the_progress_log_names_the_run(tmp_path):
    with runlog.RunLog(tmp_path, "20261203T000000Z-abc123") as log:
        log.progress("loading somewhere")
    text = (tmp_path / "logs" / "nyckeltal.log").read_text(encoding="utf-8")
    assert "20261203T000000Z-abc123 INFO loading somewhere" in text
    assert date.today().isoformat()[:4] in text


def _project_copy(root):
    project = root / "project"
    project.mkdir()
    for name in ("models", "macros", "seeds", "tests", "profiles"):
        shutil.copytree(PROJECT_DIR / name, project / name)
    shutil.copy(PROJECT_DIR / "dbt_project.yml", project)
    return project


def test_unit_test_results_are_reused_only_for_the_same_project_and_settings(tmp_path):
    project = _project_copy(tmp_path)
    settings = replace(make_settings(tmp_path, tmp_path / "landing"), project_dir=project)
    results = [
        NodeResult("unit_test.nyckeltal.fct_tickets.some_case", "pass", None, 0.5),
        NodeResult("unit_test.nyckeltal.fct_tickets.other_case", "fail", "differs", 0.4),
        NodeResult("test.nyckeltal.not_null_x.abc", "pass", None, 0.1),
    ]
    key = dbt.unit_test_key(settings)
    assert dbt.cached_unit_tests(settings, key) is None
    assert dbt.cache_unit_tests(settings, key, results, "run-1")
    cached, run_id = dbt.cached_unit_tests(settings, key)
    assert run_id == "run-1"
    assert cached == results[:2]  # unit tests only, failures kept as failures
    for changed in (
        replace(settings, reporting_timezone="UTC"),
        replace(settings, pseudonym_key="another key"),
        replace(settings, as_of=settings.as_of + timedelta(days=1)),
    ):
        assert dbt.cached_unit_tests(changed, dbt.unit_test_key(changed)) is None
    model = project / "models" / "marts" / "itsm" / "fct_tickets.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert dbt.unit_test_key(settings) != key
    assert dbt.cached_unit_tests(settings, dbt.unit_test_key(settings)) is None
    # a unit test that could not run (error) is no verdict: nothing is kept
    errored = [NodeResult("unit_test.nyckeltal.fct_tickets.some_case", "error", "boom", 0.1)]
    key = dbt.unit_test_key(settings)
    assert not dbt.cache_unit_tests(settings, key, errored, "run-2")
    assert dbt.cached_unit_tests(settings, key) is None


def test_the_build_keeps_its_unit_test_results(warehouse):
    cached = dbt.cached_unit_tests(warehouse.settings, dbt.unit_test_key(warehouse.settings))
    assert cached is not None
    results, _run_id = cached
    assert results
    assert all(node.status == "pass" for node in results)
    manifest = dbt.load_manifest(warehouse.settings)
    # every other unit test is of a status model (downstream of the run's check results),
    # tested in the status phase of every run
    status_models, stack = (
        set(),
        [name for name in manifest["child_map"] if name.startswith("source.nyckeltal.checks.")],
    )
    while stack:
        for child in manifest["child_map"].get(stack.pop(), []):
            if child not in status_models:
                status_models.add(child)
                stack.append(child)
    status_units = {
        name
        for name, node in manifest["unit_tests"].items()
        if f"model.nyckeltal.{node['model']}" in status_models
    }
    assert {node.unique_id for node in results} == set(manifest["unit_tests"]) - status_units


def test_the_table_shows_the_incremental_run_beside_the_full_one(bench):
    """bench --append-days adds the incremental run's figures (measured by hand at large: the
    smoke test keeps the reference comparison on the unappended data)."""
    from nyckeltal.bench import format_table

    _work, _history, figures = bench
    long_test = (
        "test.nyckeltal.unique_combination_of_columns_fct_kpi_units_kpi_id__unit_id.9a8abd0085"
    )
    with_incremental = {
        **figures,
        "slowest_nodes": [[long_test, 2.5]],
        "appended_days": 1,
        "incremental_build_mode": "incremental",
        "incremental_seconds": 12.0,
        "incremental_peak_bytes": 300 * 2**20,
        "incremental_share": 0.25,
        "incremental_seconds_by_phase": {"load": 0.2, "build": 5.0},
        "incremental_slowest_nodes": [["model.nyckeltal.fct_kpi_units", 1.5]],
    }
    table = format_table(with_incremental)
    assert "12.0 s, 25% of the full run, 300 MiB peak (incremental build)" in table
    assert "fct_kpi_units" in table
    # a long generated test name is cut, so the values stay in one column near the names
    assert long_test.split(".")[2] not in table
    assert table.splitlines()[0].index(figures["scale"]) <= 50
