"""Every ITSM KPI at month grain agrees with the independent reference (itsm_reference.py)."""

from __future__ import annotations

import math

import pytest
from itsm_reference import ItsmReference

TICKET_KPIS = [
    "itsm_frt",
    "itsm_afrt",
    "itsm_fcr",
    "itsm_mttr",
    "itsm_reopen_rate",
    "itsm_sla_compliance",
    "itsm_problem_resolution_time",
    "itsm_request_fulfillment_time",
    "itsm_escalation_rate",
    "itsm_avg_response_time",
]


@pytest.fixture(scope="module")
def reference(itsm_reference) -> ItsmReference:
    return itsm_reference


def _published(warehouse, kpi_id: str, segment_type: str) -> dict:
    rows = warehouse.query(
        """
        select period_start, segment_value, n, value, status
        from kpi_values
        where kpi_id = ? and period_grain = 'month' and segment_type = ?
        """,
        [kpi_id, segment_type],
    )
    return {(start, segment): rest for start, segment, *rest in rows}


def _compare(expected: dict, published: dict, kpi_id: str) -> None:
    assert published, kpi_id
    compared = 0
    for key, (n, value) in expected.items():
        assert key in published, (kpi_id, key)
        got_n, got_value, status = published[key]
        assert got_n == n, (kpi_id, key)
        if status == "withheld" or value is None:
            continue
        assert got_value == pytest.approx(value, rel=1e-9, abs=1e-9), (kpi_id, key)
        compared += 1
    for key, (got_n, *_rest) in published.items():
        if key not in expected:
            assert got_n == 0, (kpi_id, key)
    assert compared > 0, kpi_id


@pytest.mark.parametrize("kpi_id", TICKET_KPIS)
@pytest.mark.parametrize("segment", ["all", "priority"])
def test_ticket_kpis_match_reference(warehouse, reference, kpi_id, segment):
    expected = reference.monthly(kpi_id, None if segment == "all" else segment)
    _compare(expected, _published(warehouse, kpi_id, segment), kpi_id)


@pytest.mark.parametrize("segment", ["all", "priority"])
def test_csat_matches_reference(warehouse, reference, segment):
    expected = reference.csat_monthly(None if segment == "all" else segment)
    _compare(expected, _published(warehouse, "itsm_csat", segment), "itsm_csat")


def test_change_success_matches_reference(warehouse, reference):
    expected = reference.change_success_monthly()
    _compare(expected, _published(warehouse, "itsm_change_success_rate", "all"), "change_success")


def test_cost_per_ticket_matches_reference(warehouse, reference):
    expected = reference.cost_per_ticket_monthly()
    _compare(expected, _published(warehouse, "itsm_cost_per_ticket", "all"), "cost_per_ticket")


def test_every_itsm_kpi_has_published_month_rows(warehouse):
    rows = dict(
        warehouse.query(
            """
            select kpi_id, count(*) filter (where status = 'published')
            from kpi_values
            where kpi_id like 'itsm_%' and period_grain = 'month' and segment_type = 'all'
            group by 1
            """
        )
    )
    assert len(rows) == 13
    assert all(count > 0 for count in rows.values()), rows


def test_values_are_finite_and_rates_within_bounds(warehouse):
    rows = warehouse.query(
        """
        select kpi_values.kpi_id, value, kpi_values.unit, value_min, value_max
        from kpi_values
        inner join kpi_catalog on kpi_values.kpi_id = kpi_catalog.kpi_id
        where value is not null
        """
    )
    assert rows
    for kpi_id, value, unit, value_min, value_max in rows:
        assert math.isfinite(value), kpi_id
        if unit == "rate":
            assert 0 <= value <= 1, kpi_id
        assert value_min is None or value >= value_min, kpi_id
        assert value_max is None or value <= value_max, kpi_id


def test_duration_mart_agrees_with_the_headline_kpis(warehouse):
    pairs = warehouse.query(
        """
        select kpi_values.kpi_id, kpi_values.value, mart.mean_value, mart.median_value
        from kpi_values
        inner join mart_itsm_durations as mart
            on kpi_values.period_grain = mart.period_grain
            and kpi_values.period_start = mart.period_start
            and kpi_values.segment_type = mart.segment_type
            and kpi_values.segment_value = mart.segment_value
        where kpi_values.status <> 'withheld'
            and kpi_values.period_grain = 'month'
            and (
                (kpi_values.kpi_id = 'itsm_frt'
                    and mart.measure = 'first_response' and mart.basis = 'business')
                or (kpi_values.kpi_id = 'itsm_mttr'
                    and mart.measure = 'resolution' and mart.basis = 'calendar')
            )
        """
    )
    assert len(pairs) > 20
    for kpi_id, value, mean_value, median_value in pairs:
        expected = median_value if kpi_id == "itsm_frt" else mean_value
        assert value == pytest.approx(expected, rel=1e-9), kpi_id


def test_backlog_is_created_minus_resolved(warehouse):
    rows = warehouse.query(
        """
        select period_start, created_count, resolved_count, open_backlog_count
        from mart_itsm_volumes
        where period_grain = 'month' and segment_type = 'all'
        order by period_start
        """
    )
    backlog = 0
    for _start, created, resolved, open_backlog in rows:
        backlog += created - resolved
        assert open_backlog == backlog
