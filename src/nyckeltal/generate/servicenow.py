"""Generate a ServiceNow incident export: an audit-style log (one row per update, `sys_mod_count`
incrementing) or one row per incident, in ISO or day-first dates, with `?` for nulls.

Each incident walks New → In Progress (→ group change) (→ work notes) (→ On Hold → In Progress)
→ Resolved (→ reopened → Resolved) (→ Closed three days later by `system`); updates after the
export's end are not in the file, so late incidents are still open.  The export's own results
follow ServiceNow's rules: `reopen_count` and `reassignment_count` count up as they happen,
`made_sla` is false once the incident took longer than its priority's resolution target.
Vectorised (numpy + DuckDB): 25,000 incidents / 150,000 updates take about a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pandas as pd

from nyckeltal.generate import TIMEZONE, data_window, local_text

# resolution targets ServiceNow's SLA engine applied (hours, by priority 1..5)
TARGET_HOURS = np.array([0, 4, 8, 24, 72, 168], dtype=np.int64)
PRIORITY_TEXT = ("", "1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning")
CONTACT_TYPES = ("Phone", "Email", "Self service", "IVR", "Direct opening")
HOLD_REASONS = ("Awaiting Caller", "Awaiting Vendor", "Awaiting Change")
GROUPS = tuple(f"Group {number}" for number in (24, 37, 56, 70, 9, 23, 31, 5))

# the update slots an incident can go through, in order, by the state each one sets
SLOTS = (
    "New",  # 0
    "In Progress",
    "In Progress",  # 2: assignment group changed
    "In Progress",  # 3: work note
    "On Hold",
    "In Progress",  # 5: back from hold
    "In Progress",  # 6: work note
    "In Progress",  # 7: work note
    "Resolved",
    "In Progress",  # 9: reopened
    "Resolved",  # 10: resolved again
    "Closed",
)
RESOLVED_SLOTS = (8, 10)
MINUTE = 60
HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class ServiceNowReport:
    path: Path
    incident_count: int
    row_count: int
    seconds: float


def _gaps(rng: np.random.Generator, n: int, priority: np.ndarray) -> np.ndarray:
    """Seconds from the previous slot to each slot (n rows, one column per slot)."""
    gaps = np.zeros((n, len(SLOTS)), dtype=np.int64)
    gaps[:, 1] = rng.integers(5 * MINUTE, 3 * HOUR, n)
    gaps[:, 2] = rng.integers(10 * MINUTE, DAY, n)
    gaps[:, 3] = rng.exponential(6 * HOUR, n).astype(np.int64)
    gaps[:, 4] = rng.exponential(4 * HOUR, n).astype(np.int64)
    gaps[:, 5] = rng.exponential(DAY, n).astype(np.int64)
    gaps[:, 6] = rng.exponential(8 * HOUR, n).astype(np.int64)
    gaps[:, 7] = rng.exponential(8 * HOUR, n).astype(np.int64)
    mean_hours = np.array([0, 3, 8, 20, 40, 100])[priority]
    gaps[:, 8] = (rng.exponential(1.0, n) * mean_hours * HOUR).astype(np.int64)
    gaps[:, 9] = rng.integers(HOUR, 6 * DAY, n)
    gaps[:, 10] = rng.exponential(10 * HOUR, n).astype(np.int64)
    gaps[:, 11] = 3 * DAY
    return gaps


def _presence(rng: np.random.Generator, n: int) -> np.ndarray:
    present = np.zeros((n, len(SLOTS)), dtype=bool)
    present[:, 0] = True
    present[:, 1] = True
    present[:, 2] = rng.random(n) < 0.25
    present[:, 3] = rng.random(n) < 0.45
    present[:, 4] = rng.random(n) < 0.30
    present[:, 5] = present[:, 4]
    present[:, 6] = rng.random(n) < 0.45
    present[:, 7] = rng.random(n) < 0.45
    present[:, 8] = rng.random(n) < 0.95
    present[:, 9] = present[:, 8] & (rng.random(n) < 0.08)
    present[:, 10] = present[:, 9]
    present[:, 11] = present[:, 8] & (rng.random(n) < 0.75)
    return present


# activity "bursty": a busy quarter, then a trickle for the rest of a 13-month export
BUSY_DAYS = 91
BURSTY_DAYS = 395
BUSY_SHARE = 0.85


def _opened(rng: np.random.Generator, n: int, start: int, end: int, activity: str) -> np.ndarray:
    if activity == "steady":
        return rng.integers(start, end - 20 * DAY, n)
    busy = int(n * BUSY_SHARE)
    return np.concatenate(
        [
            rng.integers(start, start + BUSY_DAYS * DAY, busy),
            rng.integers(start + BUSY_DAYS * DAY, end - 20 * DAY, n - busy),
        ]
    )


def build_frame(
    incidents: int,
    seed: int,
    activity: str = "steady",
    unresolved_share: float = 0.0,
    hole: tuple[date, date] | None = None,
    last_date: date | None = None,
) -> pd.DataFrame:
    """One row per update (epoch seconds in UTC; texts still codes).

    activity: "steady" (opened evenly over the contract generator's range) or "bursty" (a busy
    quarter, then a trickle of closures for ten months; the export ends there).
    unresolved_share: incidents resolved or closed whose export never fills resolved_at.
    hole: local dates [first, last] whose updates and openings the export lost (a feed gap).
    last_date: the export is taken at its local midnight (the contract generator's range,
    default: yesterday)."""
    rng = np.random.default_rng(seed)
    n = incidents
    first_date, last_date = data_window(last_date)
    start = int(datetime.combine(first_date, time(), ZoneInfo(TIMEZONE)).timestamp())
    end = int(datetime.combine(last_date, time(), ZoneInfo(TIMEZONE)).timestamp())
    if activity != "steady":
        end = start + BURSTY_DAYS * DAY
    opened = _opened(rng, n, start, end, activity) // MINUTE * MINUTE
    priority = rng.choice(np.arange(1, 6), n, p=[0.04, 0.16, 0.5, 0.25, 0.05])
    present = _presence(rng, n)
    gaps = _gaps(rng, n, priority) // MINUTE * MINUTE
    at = opened[:, None] + np.cumsum(np.where(present, gaps, 0), axis=1)
    # the export was taken at its end: later updates are not in it
    visible = present & (at <= end)

    # resolved_at as each update shows it: set by a resolution, cleared by the reopen
    resolved_at = np.zeros_like(at)
    resolved_at[:, 8] = at[:, 8]
    resolved_at[:, 10] = at[:, 10]
    resolved_at[:, 11] = np.where(visible[:, 10], at[:, 10], at[:, 8])
    later = np.arange(len(SLOTS))
    reopened = (visible[:, [9]] & (later >= 9)).astype(np.int64)
    reassigned = (visible[:, [2]] & (later >= 2)).astype(np.int64)
    elapsed = np.where(resolved_at > 0, resolved_at, at) - opened[:, None]
    made_sla = elapsed <= TARGET_HOURS[priority][:, None] * HOUR

    rows, slots = np.nonzero(visible)
    group_first = rng.integers(0, len(GROUPS), n)
    group_second = (group_first + rng.integers(1, len(GROUPS), n)) % len(GROUPS)
    frame = pd.DataFrame(
        {
            "incident": rows,
            "slot": slots,
            "updated": at[rows, slots],
            "opened": opened[rows],
            "priority": priority[rows],
            "resolved": resolved_at[rows, slots],
            "reopen_count": reopened[rows, slots],
            "reassignment_count": reassigned[rows, slots],
            "made_sla": made_sla[rows, slots],
            "group_code": np.where(
                reassigned[rows, slots] > 0, group_second[rows], group_first[rows]
            ),
            "contact": rng.choice(len(CONTACT_TYPES), n, p=[0.4, 0.3, 0.2, 0.05, 0.05])[rows],
            "hold": rng.choice(len(HOLD_REASONS), n, p=[0.6, 0.25, 0.15])[rows],
            "caller": rng.integers(1, 5000, n)[rows],
            "resolver": rng.integers(1, 200, n)[rows],
            "category": rng.integers(1, 60, n)[rows],
            "problem": np.where(rng.random(n) < 0.03, rng.integers(1, 900, n), 0)[rows],
            "caused_by": np.where(rng.random(n) < 0.02, rng.integers(1, 400, n), 0)[rows],
        }
    )
    frame["mod"] = frame.groupby("incident").cumcount()
    if unresolved_share > 0:
        # a resolution ServiceNow never stamped: resolved_at empty on every update
        unstamped = rng.random(n) < unresolved_share
        frame.loc[unstamped[frame["incident"].to_numpy()], "resolved"] = 0
    if hole is not None:
        first = int(datetime.combine(hole[0], time(), ZoneInfo(TIMEZONE)).timestamp())
        after = int(
            datetime.combine(hole[1] + timedelta(days=1), time(), ZoneInfo(TIMEZONE)).timestamp()
        )
        lost = (frame["updated"] >= first) & (frame["updated"] < after)
        lost |= (frame["opened"] >= first) & (frame["opened"] < after)
        frame = frame[~lost].reset_index(drop=True)
    return frame


def _text(epoch: str, date_format: str) -> str:
    if date_format == "dmy":
        return local_text(epoch, pattern="%d/%m/%Y %H:%M")
    return local_text(epoch)


def generate_servicenow(
    landing_dir: Path,
    incidents: int = 25_000,
    seed: int = 20250301,
    shape: str = "audit_log",
    date_format: str = "dmy",
    activity: str = "steady",
    unresolved_share: float = 0.0,
    hole: tuple[date, date] | None = None,
    last_date: date | None = None,
) -> ServiceNowReport:
    """Write landing_dir/servicenow/incident.csv (options: see build_frame)."""
    clock = perf_counter()
    frame = build_frame(incidents, seed, activity, unresolved_share, hole, last_date)
    folder = landing_dir / "servicenow"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "incident.csv"
    slot_states = pd.DataFrame({"slot": range(len(SLOTS)), "state": SLOTS})
    lookups = {
        "lk_priority": pd.DataFrame({"code": range(6), "text": PRIORITY_TEXT}),
        "lk_contact": pd.DataFrame({"code": range(len(CONTACT_TYPES)), "text": CONTACT_TYPES}),
        "lk_hold": pd.DataFrame({"code": range(len(HOLD_REASONS)), "text": HOLD_REASONS}),
        "lk_group": pd.DataFrame({"code": range(len(GROUPS)), "text": GROUPS}),
    }
    latest_only = (
        "qualify mod = max(mod) over (partition by incident)" if shape != "audit_log" else ""
    )
    with duckdb.connect() as con:
        con.register("updates", frame)
        con.register("lk_slot", slot_states)
        for name, table in lookups.items():
            con.register(name, table)
        con.execute(
            f"""
            copy (
                select
                    'INC' || printf('%07d', incident + 1) as number,
                    lk_slot.state as incident_state,
                    case when lk_slot.state = 'Closed' then 'false' else 'true' end as active,
                    reassignment_count,
                    reopen_count,
                    mod as sys_mod_count,
                    case when made_sla then 'true' else 'false' end as made_sla,
                    'Caller ' || caller as caller_id,
                    'Opened by ' || (caller % 17) as opened_by,
                    {_text("opened", date_format)} as opened_at,
                    'Opened by ' || (caller % 17) as sys_created_by,
                    {_text("opened", date_format)} as sys_created_at,
                    case when lk_slot.state = 'Closed' then 'system'
                        else 'Resolver ' || resolver end as sys_updated_by,
                    {_text("updated", date_format)} as sys_updated_at,
                    case when lk_slot.state = 'On Hold' then lk_hold.text end as hold_reason,
                    lk_contact.text as contact_type,
                    'Category ' || category as category,
                    'Subcategory ' || (category * 7 % 90) as subcategory,
                    '2 - Medium' as impact,
                    '2 - Medium' as urgency,
                    lk_priority.text as priority,
                    lk_group.text as assignment_group,
                    'Resolver ' || resolver as assigned_to,
                    'false' as knowledge,
                    case when problem > 0 then 'PRB' || printf('%07d', problem)
                        end as problem_id,
                    cast(null as varchar) as rfc,
                    case when caused_by > 0 then 'CHG' || printf('%07d', caused_by)
                        end as caused_by,
                    case when resolved > 0 then 'code 5' end as closed_code,
                    case when resolved > 0 then 'Resolver ' || resolver end as resolved_by,
                    case when resolved > 0 then {_text("resolved", date_format)} end
                        as resolved_at,
                    case when lk_slot.state = 'Closed' then {_text("updated", date_format)} end
                        as closed_at
                from updates
                inner join lk_slot on updates.slot = lk_slot.slot
                inner join lk_priority on updates.priority = lk_priority.code
                inner join lk_contact on updates.contact = lk_contact.code
                inner join lk_hold on updates.hold = lk_hold.code
                inner join lk_group on updates.group_code = lk_group.code
                {latest_only}
                order by updated, incident, mod
            ) to '{path}' (header, delimiter ',', nullstr '?')
            """
        )
        rows = con.execute(f"select count(*) from read_csv('{path}')").fetchall()[0][0]
    incident_count = int(frame["incident"].nunique())
    return ServiceNowReport(path, incident_count, int(rows), perf_counter() - clock)
