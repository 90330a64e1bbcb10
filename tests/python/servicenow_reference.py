"""A plain-Python reading of a ServiceNow incident export (day-first dates, `?` nulls), as
ServiceNow's own reports count: the current state of each incident is its row with the
highest sys_mod_count (ties: the later update); MTTR, reopen rate and SLA compliance count the
incidents that have a resolved_at, in its local month. Shares nothing with the dbt models."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Stockholm")


def latest_rows(path: Path) -> list[dict]:
    """The current state of each incident: its row with the highest sys_mod_count, ties to
    the later update."""
    latest: dict[str, tuple] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (int(row["sys_mod_count"]), instant(row["sys_updated_at"]))
            if row["number"] not in latest or key > latest[row["number"]][0]:
                latest[row["number"]] = (key, row)
    return [row for _key, row in latest.values()]


def instant(text: str) -> datetime:
    """A naive day-first export time, local to Europe/Stockholm, as a UTC instant."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=LOCAL).astimezone(UTC)


def monthly_units(path: Path) -> dict[str, dict[date, list[float]]]:
    """Per KPI and month of resolved_at (local): one unit per incident that has a resolved_at.
    Closed incidents without it are in no headline."""
    units: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in latest_rows(path):
        if row["resolved_at"] in ("", "?"):
            continue
        resolved = instant(row["resolved_at"])
        month = resolved.astimezone(LOCAL).date().replace(day=1)
        hours = (resolved - instant(row["opened_at"])).total_seconds() / 3600
        units["itsm_mttr"][month].append(hours)
        units["itsm_reopen_rate"][month].append(float(int(row["reopen_count"]) > 0))
        units["itsm_sla_compliance"][month].append(float(row["made_sla"] == "true"))
    return units


def watermark(path: Path) -> datetime:
    """The newest timestamp in the export (ServiceNow is an event source)."""
    newest = None
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column in ("opened_at", "sys_updated_at", "resolved_at", "closed_at"):
                if row[column] not in ("", "?"):
                    at = instant(row[column])
                    newest = at if newest is None or at > newest else newest
    return newest
