"""`nyckeltal explain KPI PERIOD [--segment TYPE=VALUE]`: why a published value is what it is.

Everything is read from the published database: the kpi_values row, the catalogue's
definition and formula, the checks the KPI depended on in that run and their results, and,
for the ticket and customer KPIs, the units behind the value (fct_kpi_units), each with its
measure in the KPI's unit and whether it entered the statistic. EX KPIs have no units in the
publication: people are never itemised, only counted.
"""

from __future__ import annotations

import re
import statistics
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from nyckeltal.settings import SettingsError
from nyckeltal.status import NotPublishedError

PERIOD_FORMS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "day"),
    (re.compile(r"(\d{4})-W(\d{2})"), "week"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
)


class ExplainError(SettingsError):
    """The KPI, period or segment asked for is not in the publication (exit 2)."""


def parse_period(text: str) -> tuple[str, date]:
    """`2026-10` (month), `2026-W41` (ISO week), `2026-Q3` (quarter) or `2026-10-05` (day)."""
    for pattern, grain in PERIOD_FORMS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        try:
            numbers = [int(part) for part in match.groups()]
            if grain == "day":
                return grain, date(*numbers)
            if grain == "week":
                return grain, date.fromisocalendar(numbers[0], numbers[1], 1)
            if grain == "quarter":
                return grain, date(numbers[0], 3 * numbers[1] - 2, 1)
            return grain, date(numbers[0], numbers[1], 1)
        except ValueError:
            break
    raise ExplainError(
        f"period {text!r}: use 2026-10 (month), 2026-W41 (week), 2026-Q3 (quarter)"
        " or 2026-10-05 (day)"
    )


def parse_segment(text: str | None) -> tuple[str, str]:
    if text is None:
        return "all", "all"
    segment_type, _, value = text.partition("=")
    if not segment_type or not value or not re.fullmatch(r"[a-z_]+", segment_type):
        raise ExplainError(f"--segment {text!r}: use TYPE=VALUE, e.g. team=it_l1")
    return segment_type, value


def _records(con: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> list[dict]:
    cursor = con.execute(sql, parameters)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _statistic(statistic: str, measures: list[float]) -> float | None:
    if not measures:
        return None
    if statistic == "median":
        return statistics.median(measures)
    return sum(measures) / len(measures)


def explain(
    published_path: Path, kpi_id: str, period: str, segment: str | None = None
) -> dict[str, Any]:
    if not published_path.exists():
        raise NotPublishedError(f"{published_path} does not exist: run `nyckeltal run`")
    grain, start = parse_period(period)
    segment_type, segment_value = parse_segment(segment)
    with duckdb.connect(str(published_path), read_only=True) as con:
        catalog = _records(
            con,
            """
            select kpi_id, name_en, name_sv, family, kpi_type, definition, formula, unit,
                headline_statistic, direction, min_sample, owner_role
            from kpi_catalog where kpi_id = ?
            """,
            [kpi_id],
        )
        if not catalog:
            known = ", ".join(
                row[0]
                for row in con.execute("select kpi_id from kpi_catalog order by 1").fetchall()
            )
            raise ExplainError(f"unknown KPI {kpi_id!r} (known: {known})")
        rows = _records(
            con,
            """
            select kpi_id, period_grain, period_start, segment_type, segment_value, value,
                numerator, denominator, n, unit, status, reasons, ci_low, ci_high, target,
                target_met, previous_value
            from kpi_values
            where kpi_id = ? and period_grain = ? and period_start = ?
                and segment_type = ? and segment_value = ?
            """,
            [kpi_id, grain, start, segment_type, segment_value],
        )
        if not rows:
            raise ExplainError(
                f"no {kpi_id} row for {grain} {start} and segment"
                f" {segment_type}={segment_value} in the publication"
            )
        row = rows[0]
        next_start = con.execute(
            "select next_period_start from dim_periods where period_grain = ? and period_start = ?",
            [grain, start],
        ).fetchall()
        end = next_start[0][0] if next_start else start + timedelta(days=1)
        checks = _records(
            con,
            """
            select check_name, check_kind, check_scope, check_status, detail,
                list(failing_day order by failing_day)
                    filter (where failing_day >= ? and failing_day < ?) as failing_days
            from quality_check_results where kpi_id = ?
            group by all order by check_status, check_kind, check_name
            """,
            [start, end, kpi_id],
        )
        grains = {
            grain_name
            for (grain_name,) in con.execute(
                "select distinct coalesce(period_grain, '*') from fct_kpi_units where kpi_id = ?",
                [kpi_id],
            ).fetchall()
        }
        units: list[dict] | None = None
        if grains and "*" not in grains and grain not in grains:
            raise ExplainError(
                f"{kpi_id} lists its units for {', '.join(sorted(grains))} periods only"
            )
        if grains:
            column = f"segment_{segment_type}"
            columns = {
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_name = 'fct_kpi_units'"
                ).fetchall()
            }
            if segment_type != "all" and column not in columns:
                raise ExplainError(f"--segment: {kpi_id} has no segment type {segment_type!r}")
            segment_filter = "" if segment_type == "all" else f" and {column} = ?"
            units = _records(
                con,
                f"""
                select unit_id, unit_date, measure, included from fct_kpi_units
                where kpi_id = ?
                    and (
                        (period_grain is null and unit_date >= ? and unit_date < ?)
                        or (period_grain = ? and unit_date = ?)
                    ){segment_filter}
                order by unit_date, unit_id
                """,
                [kpi_id, start, end, grain, start]
                + ([segment_value] if segment_type != "all" else []),
            )
    entry = catalog[0]
    result: dict[str, Any] = {
        "kpi": entry,
        "period": {"grain": grain, "start": start, "end_exclusive": end},
        "segment": {"type": segment_type, "value": segment_value},
        "row": row,
        "checks": checks,
    }
    if units is None:
        result["units"] = None
        result["units_note"] = (
            "EX KPIs are computed from people: the publication holds counts only, never a"
            " person or a single answer"
            if entry["family"] == "EX"
            else "this KPI is computed from aggregates (costs, revenue or scores), not from"
            " itemised units"
        )
        return result
    measures = [unit["measure"] for unit in units if unit["included"]]
    statistic = "median" if entry["headline_statistic"] == "median" else "mean"
    result["units"] = units
    result["units_summary"] = {
        "statistic": statistic,
        "count": len(units),
        "included": len(measures),
        "sum": sum(measures),
        "value": _statistic(statistic, measures) if row["status"] != "withheld" else None,
    }
    return result


def format_text(result: dict[str, Any]) -> str:
    """The explanation for a terminal (units: the first 20, then a count)."""
    kpi, row = result["kpi"], result["row"]
    lines = [
        f"{kpi['kpi_id']}: {kpi['name_en']} ({kpi['name_sv']}), {kpi['family']}, {kpi['kpi_type']}",
        f"  definition: {kpi['definition']}",
        f"  formula:    {kpi['formula']}  [{kpi['unit']}, {kpi['headline_statistic']},"
        f" {kpi['direction']} is better, min sample {kpi['min_sample']}]",
        f"period: {result['period']['grain']} {result['period']['start']}"
        f" .. {result['period']['end_exclusive']} (exclusive); segment"
        f" {result['segment']['type']}={result['segment']['value']}",
        f"status: {row['status']}" + (f" ({row['reasons']})" if row["reasons"] else ""),
        f"  value {row['value']}  numerator {row['numerator']}  denominator"
        f" {row['denominator']}  n {row['n']}",
        f"  95% interval {row['ci_low']} .. {row['ci_high']}  target {row['target']}"
        f"  met {row['target_met']}  previous {row['previous_value']}",
    ]
    checks = result["checks"]
    failed = [check for check in checks if check["check_status"] != "pass"]
    lines.append(f"checks it depends on: {len(checks)}, {len(failed)} not passed")
    for check in failed:
        days = check["failing_days"] or []
        lines.append(
            f"  {check['check_status']}: {check['check_name']} ({check['check_kind']},"
            f" {check['check_scope']}){' days ' + ', '.join(map(str, days)) if days else ''}"
        )
    if result["units"] is None:
        lines.append(f"units: none published ({result['units_note']})")
        return "\n".join(lines)
    summary = result["units_summary"]
    lines.append(
        f"units: {summary['count']} ({summary['included']} included); {summary['statistic']}"
        f" of the included measures = {summary['value']}; sum = {summary['sum']}"
    )
    for unit in result["units"][:20]:
        mark = "" if unit["included"] else "  (not included)"
        lines.append(f"  {unit['unit_date']}  {unit['unit_id']:<28} {unit['measure']}{mark}")
    if len(result["units"]) > 20:
        lines.append(f"  … {len(result['units']) - 20} more (--json lists every unit)")
    return "\n".join(lines)
