"""A real-shaped ServiceNow audit log: a busy quarter, then ten months of 40-150 closures, about
7 % of the resolved incidents exported without resolved_at. Every month whose sample is large
enough publishes, equal to a plain-Python reading of the export; a two-week hole in the feed
withholds exactly the periods that overlap it, naming the check and the days."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from servicenow_reference import LOCAL, instant, latest_rows, monthly_units, watermark

from nyckeltal.generate.servicenow import generate_servicenow
from nyckeltal.status import read_status

from conftest import DATA_LAST_DATE, Warehouse, make_settings, run_checked

KPIS = {"itsm_mttr": 20, "itsm_reopen_rate": 30, "itsm_sla_compliance": 30}  # minimum samples
INCIDENTS = 6000
SEED = 11
HOLE = (date(2025, 2, 10), date(2025, 2, 23))  # Monday to Sunday two weeks later


def _build(root: Path, hole: tuple[date, date] | None) -> tuple[Warehouse, Path]:
    landing = root / "landing"
    export = generate_servicenow(
        landing,
        incidents=INCIDENTS,
        seed=SEED,
        activity="bursty",
        unresolved_share=0.07,
        hole=hole,
        last_date=DATA_LAST_DATE,
    )
    settings = make_settings(root, landing)
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=None, summary=summary), export.path


@pytest.fixture(scope="module")
def bursty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, Path]:
    return _build(tmp_path_factory.mktemp("bursty"), None)


@pytest.fixture(scope="module")
def holed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, Path]:
    return _build(tmp_path_factory.mktemp("holed"), HOLE)


def _monthly(store: Warehouse, kpi_id: str) -> dict[date, tuple]:
    rows = store.query(
        "select period_start, n, numerator, denominator, value, status, reasons"
        " from kpi_values where kpi_id = ? and period_grain = 'month' and segment_type = 'all'",
        [kpi_id],
    )
    return {row[0]: row[1:] for row in rows}


def _month_end(month: date) -> datetime:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(following, datetime.min.time(), LOCAL).astimezone(UTC)


@pytest.mark.parametrize("kpi_id", list(KPIS))
def test_every_month_with_a_large_enough_sample_publishes_servicenows_figures(bursty, kpi_id):
    store, export = bursty
    expected = monthly_units(export)[kpi_id]
    got = _monthly(store, kpi_id)
    newest = watermark(export)
    published = 0
    for month, values in sorted(expected.items()):
        n, numerator, denominator, value, status, reasons = got[month]
        assert n == len(values), (kpi_id, month)
        if _month_end(month) - newest > timedelta(hours=48):
            # the export stops inside this past month: not loaded up to its end (freshness)
            assert status == "withheld" and "freshness" in reasons, (month, reasons)
            continue
        if len(values) < KPIS[kpi_id]:
            assert status == "withheld" and reasons.startswith("min_sample"), (month, reasons)
            continue
        assert status in ("published", "provisional"), (kpi_id, month, reasons)
        assert denominator == len(values)
        assert numerator == pytest.approx(sum(values), rel=1e-9, abs=1e-9)
        assert value == pytest.approx(sum(values) / len(values), rel=1e-9, abs=1e-9)
        published += 1
    # the busy quarter and the trickling tail both publish
    assert published >= 10, (kpi_id, published)
    assert not [r for *_, r in got.values() if r and "lineage" in r], kpi_id


def test_incidents_closed_without_resolved_at_are_counted_not_imputed(bursty):
    store, export = bursty
    by_month: dict[date, int] = defaultdict(int)
    for row in latest_rows(export):
        if row["incident_state"] in ("Resolved", "Closed") and row["resolved_at"] in ("", "?"):
            closed = row["closed_at"] if row["closed_at"] not in ("", "?") else None
            at = instant(closed or row["sys_updated_at"])
            by_month[at.astimezone(LOCAL).date().replace(day=1)] += 1
    assert sum(by_month.values()) > 0.05 * INCIDENTS * 0.9
    rows = store.query(
        "select period_start, unresolved_closure_count from quality_servicenow_unresolved_closures"
    )
    assert dict(rows) == dict(by_month)
    status = read_status(store.published)
    assert {
        date.fromisoformat(item["month"]): item["incidents"]
        for item in status["servicenow_closed_without_resolved_at"]
    } == dict(by_month)


def _overlaps(grain: str, start: date, days: set[date]) -> bool:
    if grain == "day":
        end = start + timedelta(days=1)
    elif grain == "week":
        end = start + timedelta(days=7)
    else:
        months = 1 if grain == "month" else 3
        month = start.month - 1 + months
        end = date(start.year + month // 12, month % 12 + 1, 1)
    return any(start <= day < end for day in days)


def test_a_hole_in_the_feed_withholds_exactly_the_periods_it_overlaps(holed):
    store, _export = holed
    days = {
        day
        for (day,) in store.query(
            "select distinct failing_day from quality_check_results"
            " where check_name = 'ticket_working_days' and failing_day is not null"
        )
    }
    working_days = {
        HOLE[0] + timedelta(days=offset)
        for offset in range((HOLE[1] - HOLE[0]).days + 1)
        if (HOLE[0] + timedelta(days=offset)).isoweekday() <= 5
    }
    assert days == working_days
    rows = store.query(
        "select period_grain, period_start, status, reasons from kpi_values"
        " where kpi_id = 'itsm_mttr' and segment_type = 'all'"
    )
    withheld_by_gap = 0
    for grain, start, status, reasons in rows:
        by_gap = bool(reasons) and "expectation suite ticket_working_days failed on" in reasons
        assert by_gap == _overlaps(grain, start, days), (grain, start, reasons)
        if by_gap:
            assert status == "withheld"
            if grain in ("month", "quarter"):
                assert "on 2025-02-10..2025-02-14, 2025-02-17..2025-02-21:" in reasons
            withheld_by_gap += 1
    assert withheld_by_gap == 10 + 2 + 1 + 1  # the days, two weeks, February, Q1
    months = _monthly(store, "itsm_mttr")
    for month in (date(2025, 1, 1), date(2025, 3, 1), date(2025, 6, 1)):
        assert months[month][4] in ("published", "provisional"), (month, months[month])
