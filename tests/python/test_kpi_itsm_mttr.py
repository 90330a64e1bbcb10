"""itsm_mttr in kpi_values agrees with an independent computation from the landing files."""

from __future__ import annotations

import math

import pytest

from reference import mttr


@pytest.mark.parametrize("segment", ["all", "priority"])
def test_mttr_matches_independent_computation(warehouse, segment):
    expected = mttr(warehouse.landing, None if segment == "all" else segment)
    rows = warehouse.query(
        """
        select period_grain, period_start, segment_value, n, numerator, value, status
        from kpi_values where kpi_id = 'itsm_mttr' and segment_type = ?
        """,
        [segment],
    )
    assert rows, "no itsm_mttr rows"
    seen = set()
    for grain, start, value_key, n, numerator, value, status in rows:
        key = (grain, start, value_key)
        count, total = expected.get(key, (0, 0.0))
        assert n == count, key
        if count and status != "withheld":
            assert numerator == pytest.approx(total, rel=1e-9, abs=1e-9), key
            assert value == pytest.approx(total / count, rel=1e-9, abs=1e-9), key
        if status == "withheld":
            # nothing withheld can be recovered: no value, no numerator
            assert value is None and numerator is None
        else:
            assert value is not None and math.isfinite(value)
        seen.add(key)
    # every period with a resolved incident has its row
    assert set(expected) <= seen


def test_mttr_has_published_month_rows(warehouse):
    published = warehouse.query(
        """
        select count(*) from kpi_values
        where kpi_id = 'itsm_mttr' and period_grain = 'month' and segment_type = 'all'
            and status = 'published'
        """
    )[0][0]
    assert published >= 12


def test_months_without_data_carry_no_value(warehouse):
    rows = warehouse.query(
        "select value, status, reasons from kpi_values where kpi_id = 'itsm_mttr' and n = 0"
    )
    assert rows
    for value, status, reasons in rows:
        assert value is None
        assert status == "withheld"
        assert "min_sample: n=0 < 20" in reasons
