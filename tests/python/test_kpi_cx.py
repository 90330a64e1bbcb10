"""Every CX KPI at month grain agrees with the independent reference (cx_reference.py)."""

from __future__ import annotations

import pytest
from cx_reference import CxReference
from test_kpi_itsm import _compare, _published


@pytest.fixture(scope="module")
def reference(warehouse, itsm_reference) -> CxReference:
    return CxReference(warehouse.landing, itsm_reference)


@pytest.mark.parametrize("segment", ["all", "customer_segment"])
def test_churn_and_clv_match_reference(warehouse, reference, segment):
    churn, clv = reference.churn_and_clv(None if segment == "all" else segment)
    _compare(churn, _published(warehouse, "cx_churn_rate", segment), "cx_churn_rate")
    _compare(clv, _published(warehouse, "cx_clv", segment), "cx_clv")


@pytest.mark.parametrize("segment", ["all", "customer_segment"])
@pytest.mark.parametrize("kpi_id", ["cx_nps", "cx_ces", "cx_csat", "cx_frt", "cx_art"])
def test_survey_and_ticket_kpis_match_reference(warehouse, reference, kpi_id, segment):
    value = None if segment == "all" else segment
    expected = {
        "cx_nps": reference.nps,
        "cx_ces": reference.ces,
        "cx_csat": reference.csat,
        "cx_frt": lambda seg: reference.ticket_kpi("cx_frt", seg),
        "cx_art": lambda seg: reference.ticket_kpi("cx_art", seg),
    }[kpi_id](value)
    _compare(expected, _published(warehouse, kpi_id, segment), kpi_id)


def test_self_service_success_matches_reference(warehouse, reference):
    _compare(
        reference.self_service(),
        _published(warehouse, "cx_self_service_success", "all"),
        "cx_self_service_success",
    )


def test_every_cx_kpi_has_published_month_rows(warehouse):
    rows = dict(
        warehouse.query(
            """
            select kpi_id, count(*) filter (where status = 'published')
            from kpi_values
            where kpi_id like 'cx_%' and period_grain = 'month' and segment_type = 'all'
            group by 1
            """
        )
    )
    assert len(rows) == 8
    assert all(count > 0 for count in rows.values()), rows
