"""Independent reference computations from the landing files: plain Python, no SQL.

They read the CSV files with the csv module and apply the definitions of kpi-spec.md as
written, so they share nothing with the dbt models but the definitions.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GRAINS = ("day", "week", "month", "quarter")


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        handle.seek(0)
        yield from csv.DictReader(handle, delimiter=delimiter)


def parse_instant(text: str | None) -> datetime | None:
    """An ISO timestamp as an aware UTC datetime; naive text is Stockholm local time."""
    if text is None or not text.strip():
        return None
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC)


def local_date(instant: datetime) -> date:
    return instant.astimezone(STOCKHOLM).date()


def period_start(grain: str, day: date) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


PRIORITY_ALIASES = {"p1": "critical", "p2": "high", "p3": "medium", "p4": "low"}


def mttr(landing: Path, segment: str | None) -> dict[tuple[str, date, str], tuple[int, float]]:
    """(grain, period_start, segment value) -> (resolved incidents, sum of calendar hours)."""
    totals: dict[tuple[str, date, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for row in read_rows(landing / "tickets.csv"):
        if row["ticket_type"].strip().lower() != "incident":
            continue
        status = row["status"].strip().lower()
        if status not in {"resolved", "closed"}:
            continue
        if row["is_spam"].strip().lower() in {"true", "1", "yes", "ja"}:
            continue
        if row["merged_into_ticket_id"].strip():
            continue
        created = parse_instant(row["created_at"])
        resolved = parse_instant(row["resolved_at"]) or parse_instant(row["closed_at"])
        hours = (resolved - created).total_seconds() / 3600
        value = "all"
        if segment == "priority":
            text = row["priority"].strip().lower()
            value = PRIORITY_ALIASES.get(text, text)
        for grain in GRAINS:
            key = (grain, period_start(grain, local_date(resolved)), value)
            totals[key][0] += 1
            totals[key][1] += hours
    return {key: (int(count), total) for key, (count, total) in totals.items()}
