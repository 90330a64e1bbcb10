"""A small hand-written ServiceNow incident audit log and its four renderings.

Eight incidents over two months, written once as the audit log ServiceNow keeps (one row per
update, `sys_mod_count` incrementing).  The test lands it four times, each copy moved by two
months and written differently, so one build checks every shape and date format:

| copy | months          | shape        | dates                 |
|------|-----------------|--------------|-----------------------|
| 1    | Jan, Feb 2026   | audit log    | ISO `2026-01-05 09:00:00` |
| 2    | Mar, Apr 2026   | audit log    | day-first `05/03/2026 09:00` |
| 3    | May, Jun 2026   | per incident | ISO                   |
| 4    | Jul, Aug 2026   | per incident | day-first             |

Times are Europe/Stockholm wall-clock time (the default `servicenow_timezone`); no incident
spans a daylight-saving change, so calendar hours are wall-clock differences.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_COLUMN_TEXT = (
    "number incident_state active reassignment_count reopen_count sys_mod_count made_sla"
    " caller_id opened_by opened_at sys_created_by sys_created_at sys_updated_by sys_updated_at"
    " hold_reason contact_type category subcategory impact urgency priority assignment_group"
    " assigned_to knowledge problem_id rfc caused_by closed_code resolved_by resolved_at"
    " closed_at"
)
COLUMNS = _COLUMN_TEXT.split()


@dataclass(frozen=True)
class Update:
    number: str
    mod: int
    state: str
    at: datetime
    group: str = "Service Desk"
    hold_reason: str = ""
    reopen_count: int = 0
    reassignment_count: int = 0


@dataclass(frozen=True)
class Incident:
    number: str
    opened_at: datetime
    priority: str
    made_sla: bool
    updates: tuple[Update, ...]
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    contact_type: str = "Email"


def d(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def _incident(number, opened, priority, made_sla, updates, resolved=None, closed=None, **kw):
    return Incident(
        number=number,
        opened_at=d(opened),
        priority=priority,
        made_sla=made_sla,
        updates=tuple(Update(number, mod, *rest) for mod, *rest in updates),
        resolved_at=d(resolved) if resolved else None,
        closed_at=d(closed) if closed else None,
        **kw,
    )


# The audit log of the first copy (January and February 2026).
INCIDENTS = (
    # 001: resolved after 4 h, closed three days later; SLA made
    _incident(
        "001",
        "2026-01-05 09:00",
        "3 - Moderate",
        True,
        [
            (0, "New", d("2026-01-05 09:00")),
            (1, "In Progress", d("2026-01-05 09:30")),
            (2, "Resolved", d("2026-01-05 13:00")),
            (3, "Closed", d("2026-01-08 13:00")),
        ],
        resolved="2026-01-05 13:00",
        closed="2026-01-08 13:00",
        contact_type="Phone",
    ),
    # 002: waits on the caller for a day, resolved after 48 h; SLA missed
    _incident(
        "002",
        "2026-01-12 08:00",
        "2 - High",
        False,
        [
            (0, "New", d("2026-01-12 08:00")),
            (1, "In Progress", d("2026-01-12 08:15")),
            (2, "On Hold", d("2026-01-12 10:00"), "Service Desk", "Awaiting Caller"),
            (3, "In Progress", d("2026-01-13 10:00")),
            (4, "Resolved", d("2026-01-14 08:00")),
        ],
        resolved="2026-01-14 08:00",
    ),
    # 003: resolved, reopened the next day (moved to Network), resolved again after 50 h
    _incident(
        "003",
        "2026-01-20 10:00",
        "1 - Critical",
        True,
        [
            (0, "New", d("2026-01-20 10:00")),
            (1, "Resolved", d("2026-01-20 12:00")),
            (2, "In Progress", d("2026-01-21 09:00"), "Network", "", 1, 1),
            (3, "Resolved", d("2026-01-22 12:00"), "Network", "", 1, 1),
        ],
        resolved="2026-01-22 12:00",
    ),
    # 004: never resolved: waiting on a vendor since March (backlog, not zero)
    _incident(
        "004",
        "2026-01-26 11:00",
        "4 - Low",
        False,
        [
            (0, "New", d("2026-01-26 11:00")),
            (1, "In Progress", d("2026-01-26 11:30")),
            (2, "On Hold", d("2026-03-20 09:00"), "Service Desk", "Awaiting Vendor"),
        ],
    ),
    # 005: resolved after 12 h
    _incident(
        "005",
        "2026-02-02 09:00",
        "3 - Moderate",
        True,
        [(0, "New", d("2026-02-02 09:00")), (1, "Resolved", d("2026-02-02 21:00"))],
        resolved="2026-02-02 21:00",
        contact_type="Self-service",
    ),
    # 006: resolved in January, reopened in February, resolved again 120 h after opening
    _incident(
        "006",
        "2026-01-30 14:00",
        "2 - High",
        False,
        [
            (0, "New", d("2026-01-30 14:00")),
            (1, "Resolved", d("2026-01-31 14:00")),
            (2, "In Progress", d("2026-02-03 09:00"), "Service Desk", "", 1),
            (3, "Resolved", d("2026-02-04 14:00"), "Service Desk", "", 1),
        ],
        resolved="2026-02-04 14:00",
    ),
    # 007: planning priority, resolved after 1.5 h, closed later
    _incident(
        "007",
        "2026-02-10 10:00",
        "5 - Planning",
        True,
        [
            (0, "New", d("2026-02-10 10:00")),
            (1, "Resolved", d("2026-02-10 11:30")),
            (2, "Closed", d("2026-02-13 11:30")),
        ],
        resolved="2026-02-10 11:30",
        closed="2026-02-13 11:30",
    ),
    # 008: cancelled: excluded everywhere
    _incident(
        "008",
        "2026-02-15 09:00",
        "3 - Moderate",
        False,
        [(0, "New", d("2026-02-15 09:00")), (1, "Canceled", d("2026-02-15 10:00"))],
    ),
)

# Each copy also holds one unusable incident (009: state -100, or 31 February): quarantined.
BAD_ROWS_PER_COPY = 1

# Hand-computed, per copy (resolved_at decides the month; current status resolved or closed;
# 004 is open, 008 cancelled):
#   first month:  001 4 h, 002 48 h (08:00 Jan 12 → 08:00 Jan 14), 003 50 h (10:00 Jan 20 →
#                 12:00 Jan 22): MTTR (4 + 48 + 50) / 3 = 34 h
#                 reopened: 003 (reopen_count 1) → 1 / 3; made_sla: 001, 003 → 2 / 3
#   second month: 005 12 h, 006 120 h (14:00 Jan 30 → 14:00 Feb 4), 007 1.5 h:
#                 MTTR (12 + 120 + 1.5) / 3 = 44.5 h
#                 reopened: 006 → 1 / 3; made_sla: 005, 007 → 2 / 3
EXPECTED = {
    "first": {"mttr": (102.0, 3), "reopen": (1, 3), "sla": (2, 3)},
    "second": {"mttr": (133.5, 3), "reopen": (1, 3), "sla": (2, 3)},
}
# 002's net resolution time (pending on the caller 10:00 Jan 12 → 10:00 Jan 13 left out):
# 2 h + 22 h = 24 h, known only from an audit log.
NET_HOURS_002 = 24.0

COPIES = (
    # (file name, months moved, shape, date format)
    ("incident_audit_iso.csv", 0, "audit_log", "iso"),
    ("incident_audit_dmy.csv", 2, "audit_log", "dmy"),
    ("incident_list_iso.csv", 4, "per_incident", "iso"),
    ("incident_list_dmy.csv.gz", 6, "per_incident", "dmy"),
)


def shift(value: datetime | None, months: int) -> datetime | None:
    if value is None:
        return None
    month = value.month - 1 + months
    return value.replace(year=value.year + month // 12, month=month % 12 + 1)


def _text(value: datetime | None, date_format: str) -> str:
    if value is None:
        return "?"
    if date_format == "dmy":
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _row(incident: Incident, update: Update, months: int, copy: int, date_format: str) -> dict:
    final = update.state in ("Resolved", "Closed")
    resolved = update.at if update.state == "Resolved" else incident.resolved_at if final else None
    closed = incident.closed_at if update.state == "Closed" else None
    number = f"INC{copy}{incident.number}"
    return {
        "number": number,
        "incident_state": update.state,
        "active": "false" if update.state in ("Closed", "Canceled") else "true",
        "reassignment_count": str(update.reassignment_count),
        "reopen_count": str(update.reopen_count),
        "sys_mod_count": str(update.mod),
        "made_sla": "true" if incident.made_sla else "false",
        "caller_id": f"Caller {incident.number}",
        "opened_by": "Opened by 7",
        "opened_at": _text(shift(incident.opened_at, months), date_format),
        "sys_created_by": "Opened by 7",
        "sys_created_at": _text(shift(incident.opened_at, months), date_format),
        "sys_updated_by": "Resolver 3",
        "sys_updated_at": _text(shift(update.at, months), date_format),
        "hold_reason": update.hold_reason or "?",
        "contact_type": incident.contact_type,
        "category": "Category 26",
        "subcategory": "",
        "impact": "2 - Medium",
        "urgency": "2 - Medium",
        "priority": incident.priority,
        "assignment_group": update.group,
        "assigned_to": "Resolver 3",
        "knowledge": "false",
        "problem_id": "?",
        "rfc": "?",
        "caused_by": "?",
        "closed_code": "code 5" if final else "?",
        "resolved_by": "Resolver 3" if final else "?",
        "resolved_at": _text(shift(resolved, months), date_format),
        "closed_at": _text(shift(closed, months), date_format),
    }


def rows_for_copy(copy: int) -> list[dict]:
    _name, months, shape, date_format = COPIES[copy - 1]
    rows = []
    for incident in INCIDENTS:
        updates = incident.updates if shape == "audit_log" else incident.updates[-1:]
        rows.extend(_row(incident, update, months, copy, date_format) for update in updates)
    # rows that cannot be used: quarantined with a reason, never lost
    bad = dict(rows[0], number=f"INC{copy}009", sys_mod_count="0")
    if copy == 1:
        bad["incident_state"] = "-100"
    else:
        bad["opened_at"] = "31/02/2026 10:00" if date_format == "dmy" else "2026-02-31 10:00:00"
    rows.append(bad)
    # ServiceNow does not write updates in order: the latest update is not the last line
    return rows[::-1] if shape == "audit_log" else rows


def write_exports(landing_dir: Path) -> list[Path]:
    """Write the four copies into landing_dir/servicenow/ and return their paths."""
    import gzip

    folder = landing_dir / "servicenow"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for copy, (name, _months, _shape, _date_format) in enumerate(COPIES, start=1):
        path = folder / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "wt", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows_for_copy(copy))
        paths.append(path)
    return paths


def month_of(copy: int, which: str) -> str:
    """The first day of the copy's first or second month, e.g. '2026-03-01'."""
    months = COPIES[copy - 1][1] + (0 if which == "first" else 1)
    start = shift(datetime(2026, 1, 1), months)
    return start.strftime("%Y-%m-%d")
