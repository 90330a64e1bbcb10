"""The targets seed (seeds/kpi_targets.csv), checked before anything is built.

Users edit it: one row per KPI, optional segment, valid-from/valid-to, operator and value,
overriding the catalogue's default target. A row naming an unknown KPI, operator or segment,
or one that cannot be read, fails the run with a line naming the file and the line; what can
be judged from the file alone is checked before dbt loads the seed, the segments once the KPI
rows exist.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from nyckeltal.settings import SettingsError

COLUMNS = (
    "kpi_id",
    "segment_type",
    "segment_value",
    "valid_from",
    "valid_to",
    "target_operator",
    "target_value",
    "note",
)
OPERATORS = ("<=", ">=")


class TargetsError(SettingsError):
    """A row of the targets seed cannot be used."""


@dataclass(frozen=True)
class TargetRow:
    line: int
    kpi_id: str
    segment_type: str
    segment_value: str
    valid_from: date | None
    valid_to: date | None


def targets_path(project_dir: Path) -> Path:
    return project_dir / "seeds" / "kpi_targets.csv"


def _catalog_ids(project_dir: Path) -> set[str]:
    with (project_dir / "seeds" / "kpi_catalog.csv").open(encoding="utf-8", newline="") as file:
        return {row["kpi_id"] for row in csv.DictReader(file)}


def _date(path: Path, line: int, name: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TargetsError(
            f"{path} line {line}: {name} {text!r} is not a date (YYYY-MM-DD)"
        ) from None


def read_targets(project_dir: Path) -> list[TargetRow]:
    """Every row, checked for what the file alone can tell; raises TargetsError."""
    path = targets_path(project_dir)
    known = _catalog_ids(project_dir)
    rows: list[TargetRow] = []
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise TargetsError(f"{path} line 1: the columns must be {','.join(COLUMNS)}")
        for record in reader:
            line = reader.line_num
            if None in record or None in record.values():
                raise TargetsError(f"{path} line {line}: expected {len(COLUMNS)} fields")
            values = {name: (text or "").strip() for name, text in record.items()}
            kpi_id = values["kpi_id"]
            if kpi_id not in known:
                raise TargetsError(f"{path} line {line}: unknown KPI {kpi_id!r}")
            operator = values["target_operator"]
            if operator not in OPERATORS:
                raise TargetsError(
                    f"{path} line {line}: unknown operator {operator!r} (use <= or >=)"
                )
            try:
                value = float(values["target_value"])
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise TargetsError(
                    f"{path} line {line}: target_value {values['target_value']!r} is not a number"
                )
            if bool(values["segment_type"]) != bool(values["segment_value"]):
                raise TargetsError(
                    f"{path} line {line}: give both segment_type and segment_value, or neither"
                )
            valid_from = _date(path, line, "valid_from", values["valid_from"])
            valid_to = _date(path, line, "valid_to", values["valid_to"])
            if valid_from and valid_to and valid_to < valid_from:
                raise TargetsError(f"{path} line {line}: valid_to is before valid_from")
            row = TargetRow(
                line,
                kpi_id,
                values["segment_type"],
                values["segment_value"],
                valid_from,
                valid_to,
            )
            for other in rows:
                if (other.kpi_id, other.segment_type, other.segment_value, other.valid_from) == (
                    row.kpi_id,
                    row.segment_type,
                    row.segment_value,
                    row.valid_from,
                ):
                    raise TargetsError(
                        f"{path} line {line}: same KPI, segment and valid_from as line"
                        f" {other.line}; which one holds is ambiguous"
                    )
            rows.append(row)
    return rows


def check_target_segments(project_dir: Path, build_path: Path) -> None:
    """Each row's segment must be one its KPI is broken down by, and a value some KPI of this
    build has for that segment type. A KPI with no segmented rows at all (its sources did not
    land) cannot be judged: its rows wait until it has."""
    rows = [row for row in read_targets(project_dir) if row.segment_type]
    if not rows:
        return
    with duckdb.connect(str(build_path), read_only=True) as con:
        pairs = con.execute(
            "select distinct kpi_id, segment_type, segment_value from marts.fct_kpi_values"
            " where segment_type <> 'all'"
        ).fetchall()
    types_by_kpi: dict[str, set[str]] = {}
    values_by_type: dict[str, set[str]] = {}
    for kpi_id, segment_type, segment_value in pairs:
        types_by_kpi.setdefault(kpi_id, set()).add(segment_type)
        values_by_type.setdefault(segment_type, set()).add(segment_value)
    path = targets_path(project_dir)
    for row in rows:
        types = types_by_kpi.get(row.kpi_id)
        if not types:
            continue
        if row.segment_type not in types:
            raise TargetsError(
                f"{path} line {row.line}: {row.kpi_id} has no segment type"
                f" {row.segment_type!r} (it has {', '.join(sorted(types))})"
            )
        values = values_by_type[row.segment_type]
        if row.segment_value not in values:
            raise TargetsError(
                f"{path} line {row.line}: no {row.segment_type} {row.segment_value!r} in the"
                f" data (known: {', '.join(sorted(values))})"
            )
