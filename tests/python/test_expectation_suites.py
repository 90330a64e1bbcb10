"""Single expectation suites on hand-made tables: each fails on the data it exists to catch."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from nyckeltal.quality.expectations import default_suites, run_expectations


def _suite(name: str):
    return next(suite for suite in default_suites() if suite.name == name)


def _outcome(tmp_path: Path, name: str, setup: list[str]):
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        for statement in setup:
            con.execute(statement)
    report = run_expectations(build, tmp_path / "gx", [_suite(name)])
    return report.outcomes[0]


AUDIT_LOG = [
    "create schema intermediate",
    "create table intermediate.int_servicenow_updates_sequenced (ticket_id varchar,"
    " update_number integer, sys_updated_at timestamp, export_shape varchar)",
]


@pytest.mark.parametrize(
    ("second_update", "passes"),
    [("2026-03-02 09:00:00", True), ("2026-03-01 09:00:00", False)],
    ids=["in order", "sys_mod_count against time"],
)
def test_servicenow_update_order(tmp_path, second_update, passes):
    rows = [
        "insert into intermediate.int_servicenow_updates_sequenced values"
        " ('a', 1, '2026-03-02 08:00:00', 'audit_log'),"
        f" ('a', 2, '{second_update}', 'audit_log')"
    ]
    outcome = _outcome(tmp_path, "servicenow_update_order", AUDIT_LOG + rows)
    assert outcome.success is passes
    assert outcome.node == "model.nyckeltal.int_servicenow_updates_sequenced"


ACTIVITY = [
    "create schema marts",
    "create table marts.quality_ticket_activity (date_day date, active_ticket_count bigint,"
    " is_judged boolean)",
]


@pytest.mark.parametrize(
    ("is_judged", "passes"), [(False, True), (True, False)], ids=["quiet tail", "busy desk"]
)
def test_an_empty_working_day_fails_only_where_it_is_judged(tmp_path, is_judged, passes):
    """quality_ticket_activity judges each day against its surroundings (dbt unit test); the
    suite fails on the judged empty days and names them, so only their periods are withheld."""
    rows = [
        "insert into marts.quality_ticket_activity values"
        " ('2026-03-03', 40, true),"
        f" ('2026-03-04', 0, {str(is_judged).lower()}),"
        f" ('2026-03-05', 0, {str(is_judged).lower()}),"
        " ('2026-03-06', 3, false)"
    ]
    outcome = _outcome(tmp_path, "ticket_working_days", ACTIVITY + rows)
    assert outcome.success is passes
    assert outcome.scope == "period"
    expected = [] if passes else [date(2026, 3, 4), date(2026, 3, 5)]
    assert outcome.failing_days == expected


QUARANTINE = [
    "create schema marts",
    "create table marts.quality_quarantine_by_period (source_table varchar, period_start date,"
    " rows_in bigint, quarantined_row_count bigint)",
]


def test_quarantine_share_is_judged_per_month_and_undated_rows_as_a_whole(tmp_path):
    rows = [
        "insert into marts.quality_quarantine_by_period values"
        " ('tickets', '2026-01-01', 1000, 10),"  # 1 %: fine
        " ('tickets', '2026-02-01', 100, 30),"  # 30 %: February is withheld
        " ('tickets', '2026-03-01', 10, 5),"  # too few rows to judge
        " ('tickets', null, 1110, 1)"  # undated rows: fine
    ]
    outcome = _outcome(tmp_path, "quarantine_share__tickets", QUARANTINE + rows)
    assert not outcome.success
    assert outcome.failing_days == [date(2026, 2, 1) + timedelta(days=n) for n in range(28)]

    (tmp_path / "undated").mkdir()
    undated = ["insert into marts.quality_quarantine_by_period values ('tickets', null, 100, 9)"]
    outcome = _outcome(tmp_path / "undated", "quarantine_share__tickets", QUARANTINE + undated)
    assert not outcome.success
    assert outcome.failing_days == [None]
