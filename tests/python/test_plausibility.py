"""Absurd values are quarantined as out_of_range: a ticket from year 0001 or resolved in 9999
does not stretch the period spine over 10,000 years, a cost of 1e38 or a revenue of 1E+308
reaches no KPI, and no published table holds a non-finite number."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import duckdb
import pytest
from publication_rules import offences

from conftest import TEST_KEY, Warehouse

ABSURD_TICKETS = (
    "T-ANCIENT,incident,employee,E000001,email,low,,,,,closed,"
    "0001-01-01T09:00:00Z,0001-01-02T09:00:00Z,0001-01-03T09:00:00Z,,,,requester,false,\n"
    "T-FOREVER,incident,employee,E000001,email,low,,,,,resolved,"
    "2025-03-03T09:00:00Z,9999-12-31T09:00:00Z,,,,,requester,false,\n"
)


@pytest.fixture(scope="module")
def absurd(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("absurd")
    landing = root / "landing"
    shutil.copytree(warehouse.landing, landing)
    with (landing / "tickets.csv").open("a", encoding="utf-8") as handle:
        handle.write(ABSURD_TICKETS)
    with (landing / "support_costs.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-02-01;absurd_team;1e38;SEK\n")
    with (landing / "customer_revenue.csv").open("a", encoding="utf-8") as handle:
        handle.write("INV-ABSURD;C000160;2025-02-03;1E+308;1,00;SEK\n")
    environment = {
        **os.environ,
        "NYCKELTAL_LANDING": str(landing),
        "NYCKELTAL_WAREHOUSE_DIR": str(root / "warehouse"),
        "NYCKELTAL_PSEUDONYM_KEY": TEST_KEY,
    }
    # an exploding period spine would run for many minutes: fail fast instead
    result = subprocess.run(
        [sys.executable, "-m", "nyckeltal.cli", "run"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root / "warehouse"


def _query(folder, sql: str) -> list[tuple]:
    with duckdb.connect(str(folder / "published.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_absurd_values_are_quarantined_with_their_reason(absurd):
    reasons = dict(
        (table, reason)
        for table, reason in _query(
            absurd,
            "select source_table, quarantine_reason from quality_quarantine_summary"
            " where quarantine_reason like 'out_of_range%'",
        )
        if table != "tickets"
    )
    ticket_reasons = {
        reason
        for (reason,) in _query(
            absurd,
            "select quarantine_reason from quality_quarantine_summary"
            " where source_table = 'tickets' and quarantine_reason like 'out_of_range%'",
        )
    }
    assert any(reason.startswith("out_of_range: created_at") for reason in ticket_reasons)
    assert any(reason.startswith("out_of_range: resolved_at") for reason in ticket_reasons)
    assert reasons["support_costs"].startswith("out_of_range: cost_amount")
    assert reasons["customer_revenue"].startswith("out_of_range: revenue_amount")
    accounting = _query(
        absurd,
        "select source_table, rows_in, staged_row_count, quarantined_row_count"
        " from quality_row_accounting where rows_in > 0",
    )
    assert all(rows_in == staged + quarantined for _, rows_in, staged, quarantined in accounting)


def test_the_period_spine_spans_only_staged_data(absurd):
    first, last = _query(absurd, "select min(period_start), max(period_start) from dim_periods")[0]
    assert first >= date(2024, 10, 1)  # the quarter holding the first staged day
    assert last <= date.today().replace(year=date.today().year + 1)


def test_no_published_table_holds_a_non_finite_number_or_an_absurd_kpi(absurd):
    with duckdb.connect(str(absurd / "published.duckdb"), read_only=True) as con:
        columns = con.execute(
            """
            select table_name, column_name from information_schema.columns
            where table_schema = 'main' and data_type in ('DOUBLE', 'FLOAT', 'REAL')
            """
        ).fetchall()
        for table, column in columns:
            bad = con.execute(
                f'select count(*) from "{table}" where not isfinite("{column}")'
            ).fetchall()[0][0]
            assert bad == 0, (table, column)
        highest_cost = con.execute(
            "select max(value) from kpi_values where kpi_id = 'itsm_cost_per_ticket'"
        ).fetchall()[0][0]
    assert highest_cost < 1e6
    assert offences(absurd / "published.duckdb") == []
