"""EX KPIs: the independent reference agrees, and HR privacy holds."""

from __future__ import annotations

import math
import re
import statistics

import pytest
from cx_reference import CxReference
from ex_reference import ExReference
from publication_rules import offences

EX_KPIS = [
    "ex_esat",
    "ex_enps",
    "ex_engagement",
    "ex_turnover",
    "ex_adoption",
    "ex_service_usage",
    "ex_frt",
]


@pytest.fixture(scope="module")
def reference(warehouse, itsm_reference) -> ExReference:
    return ExReference(
        warehouse.landing, itsm_reference, CxReference(warehouse.landing, itsm_reference)
    )


def _expected(reference: ExReference, kpi_id: str, segment: str | None) -> dict:
    if kpi_id in {"ex_esat", "ex_enps", "ex_engagement"}:
        return reference.surveys(kpi_id.removeprefix("ex_"), segment)
    return {
        "ex_turnover": reference.turnover,
        "ex_adoption": reference.adoption,
        "ex_service_usage": reference.service_usage,
        "ex_frt": reference.frt,
    }[kpi_id](segment)


@pytest.mark.parametrize("segment", ["all", "department"])
@pytest.mark.parametrize("kpi_id", EX_KPIS)
def test_ex_kpis_match_reference(warehouse, reference, kpi_id, segment):
    expected = _expected(reference, kpi_id, None if segment == "all" else segment)
    # withheld rows publish no numerator or denominator: read them from the build database
    rows = warehouse.query_build(
        f"""
        select kpi.period_start, kpi.segment_value, counts.n, kpi.value, counts.numerator,
            counts.denominator, kpi.status, kpi.reasons
        from marts.kpi_values as kpi
        inner join marts.fct_kpi_values as counts using (
            kpi_id, period_grain, period_start, segment_type, segment_value
        )
        where kpi.kpi_id = '{kpi_id}' and kpi.period_grain = 'month'
            and kpi.segment_type = '{segment}'
        """
    )
    compared = 0
    for start, value_key, n, value, numerator, denominator, status, reasons in rows:
        if reasons and reasons.startswith("small_group"):
            continue
        if status == "withheld" and kpi_id != "ex_frt" and numerator is not None and denominator:
            # withheld (sample, precision): the counts are still published; check them
            value = 100 * numerator if kpi_id == "ex_enps" else numerator / denominator
        if value is None:
            continue
        expected_n, expected_value = expected[(start, value_key)]
        if expected_n is not None:
            assert n == expected_n, (kpi_id, start, value_key)
        assert value == pytest.approx(expected_value, rel=1e-9, abs=1e-9), (
            kpi_id,
            start,
            value_key,
        )
        compared += 1
    assert compared > 0, kpi_id


def test_engagement_reports_its_normal_interval(warehouse, reference):
    """mean +- 1.96 * sample standard deviation / sqrt(n), computed with statistics.stdev."""
    scores = reference.surveys("engagement", "department", scores=True)
    rows = warehouse.query(
        """
        select period_start, segment_value, ci_low, ci_high from kpi_values
        where kpi_id = 'ex_engagement' and period_grain = 'month'
            and segment_type = 'department' and status <> 'withheld'
        """
    )
    assert rows
    for start, value_key, ci_low, ci_high in rows:
        values = scores[(start, value_key)]
        mean = statistics.fmean(values)
        half = 1.959963984540054 * statistics.stdev(values) / math.sqrt(len(values))
        assert (ci_low, ci_high) == (
            pytest.approx(mean - half, abs=1e-9),
            pytest.approx(mean + half, abs=1e-9),
        ), (start, value_key)


def test_service_availability_matches_reference(warehouse, reference):
    rows = warehouse.query(
        """
        select period_start, n, value, status from kpi_values
        where kpi_id = 'ex_service_availability' and period_grain = 'month'
            and segment_type = 'all'
        """
    )
    expected = reference.availability()
    compared = 0
    for start, n, value, status in rows:
        if status != "withheld":
            assert n == expected[(start, "all")][0]
            assert value == pytest.approx(expected[(start, "all")][1], rel=1e-9, abs=1e-12), start
            compared += 1
    assert compared > 0


def test_small_groups_are_withheld_without_any_count(warehouse):
    rows = warehouse.query(
        """
        select value, numerator, denominator, n, status, reasons from kpi_values
        where reasons like 'small_group%'
        """
    )
    assert rows, "the generated data has small groups at week grain"
    for value, numerator, denominator, n, status, reasons in rows:
        assert (value, numerator, denominator, n) == (None, None, None, None)
        assert status == "withheld"
        assert not re.search(r"\d", reasons), reasons


def test_no_withheld_group_can_be_recovered_by_subtraction(warehouse):
    """all minus the published cells of any segment type is 0 or at least 5 people
    (publication_rules), and small groups do occur in the data."""
    assert offences(warehouse.published) == []
    small = warehouse.query(
        "select count(*) from kpi_values where reasons like 'small_group%'"
        " and kpi_id in ('ex_esat', 'ex_enps', 'ex_engagement', 'ex_turnover')"
    )[0][0]
    assert small > 0


def test_every_ex_kpi_has_published_month_rows(warehouse):
    rows = dict(
        warehouse.query(
            """
            select kpi_id, count(*) filter (where status in ('published', 'provisional'))
            from kpi_values
            where kpi_id like 'ex_%' and period_grain = 'month' and segment_type = 'all'
            group by 1
            """
        )
    )
    assert len(rows) == 8
    assert all(count > 0 for count in rows.values()), rows
