"""Single expectation suites on hand-made tables: each fails on the data it exists to catch."""

from __future__ import annotations

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


TICKETS = [
    "create schema marts",
    "create table marts.dim_dates as select cast(range as date) as date_day,"
    " isodow(range) <= 5 as is_business_day"
    " from range(date '2026-03-02', date '2026-03-14', interval 1 day)",
    "create table marts.fct_tickets (ticket_id varchar, created_date date)",
]


@pytest.mark.parametrize(
    ("per_day", "passes"), [(5, True), (25, False)], ids=["small desk", "busy desk"]
)
def test_an_empty_working_day_fails_only_a_busy_desk(tmp_path, per_day, passes):
    # tickets on every working day of two weeks except Wednesday 4 March
    rows = [
        "insert into marts.fct_tickets select 't' || day || '-' || n, day"
        " from (select date_day as day from marts.dim_dates"
        f" where is_business_day and date_day <> date '2026-03-04'), range({per_day}) as r(n)"
    ]
    outcome = _outcome(tmp_path, "ticket_working_days", TICKETS + rows)
    assert outcome.success is passes
