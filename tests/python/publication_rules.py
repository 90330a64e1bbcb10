"""The spec's publication rules, checked on a published database with queries written here
(independently of kpi_values.sql): nothing withheld can be recovered.

- a withheld row has no value, numerator, denominator, ci_low, ci_high or target_met;
- previous_value is the value of the calendar predecessor (the period one grain earlier, same
  KPI and segment) when that row is published or provisional, and NULL otherwise;
- HR cells: for every segment type, `all` minus its published cells leaves 0 people or at least
  the minimum group (respondents by n; average headcount for turnover).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

MIN_GROUP = 5
SHOWN = ("published", "provisional")
HR_KPIS = ("ex_esat", "ex_enps", "ex_engagement", "ex_turnover")


def _predecessor(grain: str, start: date) -> date:
    if grain == "day":
        return start - timedelta(days=1)
    if grain == "week":
        return start - timedelta(days=7)
    months = 1 if grain == "month" else 3
    month = start.month - months
    year = start.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def offences(published: Path) -> list[str]:
    """Every breach of the rules above, as readable lines (empty: none)."""
    found: list[str] = []
    with duckdb.connect(str(published), read_only=True) as con:
        leaking = con.execute(
            """
            select kpi_id, period_grain, period_start, segment_type, segment_value
            from kpi_values
            where status = 'withheld' and (
                value is not null or numerator is not null or denominator is not null
                or ci_low is not null or ci_high is not null or target_met is not null
            )
            limit 3
            """
        ).fetchall()
        found += [f"withheld row carries a number: {row}" for row in leaking]
        rows = con.execute(
            """
            select kpi_id, period_grain, period_start, segment_type, segment_value, status,
                cast(value as double), cast(previous_value as double)
            from kpi_values
            """
        ).fetchall()
        hr_cells = con.execute(
            f"""
            select kpi_id, period_grain, period_start, segment_type, status,
                cast(case when kpi_id = 'ex_turnover' then denominator else n end as double)
            from kpi_values where kpi_id in {HR_KPIS}
            """
        ).fetchall()
    shown = {
        (kpi, grain, start, seg_type, seg_value): value
        for kpi, grain, start, seg_type, seg_value, status, value, _ in rows
        if status in SHOWN
    }
    wrong = 0
    for kpi, grain, start, seg_type, seg_value, _status, _value, previous in rows:
        want = shown.get((kpi, grain, _predecessor(grain, start), seg_type, seg_value))
        same = (previous is None and want is None) or (
            previous is not None
            and want is not None
            and abs(previous - want) <= 1e-9 * max(1.0, abs(want))
        )
        if not same:
            wrong += 1
            if wrong <= 3:
                found.append(
                    f"previous_value {previous} != {want}: {kpi} {grain} {start} {seg_type}"
                    f" {seg_value}"
                )
    totals: dict[tuple, float] = {}
    published_parts: dict[tuple, float] = {}
    for kpi, grain, start, seg_type, status, size in hr_cells:
        if seg_type == "all":
            if status in SHOWN:
                totals[(kpi, grain, start)] = size
        else:
            key = (kpi, grain, start, seg_type)
            published_parts.setdefault(key, 0.0)
            if status in SHOWN:
                published_parts[key] += size
    for (kpi, grain, start, seg_type), part in published_parts.items():
        total = totals.get((kpi, grain, start))
        if total is None:
            continue
        residual = total - part
        if 1e-9 < residual < MIN_GROUP:
            found.append(
                f"{kpi} {grain} {start} by {seg_type}: all {total} - published {part}"
                f" leaves {residual}"
            )
    return found
