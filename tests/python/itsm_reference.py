"""Independent ITSM reference: every ITSM KPI at month grain from the landing files and seeds.

Plain Python: csv, datetime and zoneinfo. Business time is computed by walking the calendar
day by day (not the SQL's interval axis); the definitions are read from kpi-spec.md.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from reference import PRIORITY_ALIASES, local_date, parse_instant, read_rows

PROJECT_DIR = Path(__file__).resolve().parents[2]
RESOLVED = {"resolved", "closed"}
OPEN_STATES = {"new", "open", "pending", "on_hold"}
LIVE = {"phone", "walk_in", "chat"}
REOPEN_WINDOW = timedelta(days=7)
CHANGE_WINDOW = timedelta(days=14)


def _seed(name: str) -> list[dict[str, str]]:
    with (PROJECT_DIR / "seeds" / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Calendar:
    """Opening hours per ISO weekday in a time zone, minus holidays."""

    def __init__(self, calendar_id: str) -> None:
        rows = [row for row in _seed("business_hours") if row["calendar_id"] == calendar_id]
        self.zone = ZoneInfo(rows[0]["timezone"])
        self.hours = {}
        for row in rows:
            opens = [int(part) for part in row["opens_at"].split(":")]
            closes = [int(part) for part in row["closes_at"].split(":")]
            self.hours[int(row["weekday"])] = (opens[0] * 60 + opens[1], closes[0] * 60 + closes[1])
        self.closed = {
            date.fromisoformat(row["holiday_date"])
            for row in _seed("holidays")
            if row["calendar_id"] == calendar_id
        }

    @cache  # noqa: B019 - a few calendars live for the whole test session
    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        if day in self.closed or day.isoweekday() not in self.hours:
            return None
        opens, closes = self.hours[day.isoweekday()]
        midnight = datetime.combine(day, time(0))
        start = (midnight + timedelta(minutes=opens)).replace(tzinfo=self.zone)
        end = (midnight + timedelta(minutes=closes)).replace(tzinfo=self.zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def seconds(self, start: datetime, end: datetime) -> float:
        """Business seconds between two instants (0 when end <= start)."""
        if end <= start:
            return 0.0
        total = 0.0
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        while day <= last:
            window = self.opening(day)
            if window:
                low, high = max(start, window[0]), min(end, window[1])
                if high > low:
                    total += (high - low).total_seconds()
            day += timedelta(days=1)
        return total

    def instant_after(self, start: datetime, seconds: float) -> datetime:
        """The instant at which `seconds` business seconds have passed since `start`."""
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        remaining = seconds
        while True:
            window = self.opening(day)
            if window and window[1] > start:
                low = max(start, window[0])
                available = (window[1] - low).total_seconds()
                if remaining <= available:
                    return low + timedelta(seconds=remaining)
                remaining -= available
            day += timedelta(days=1)


@dataclass
class Ticket:
    row: dict[str, str]
    created: datetime
    events: list[tuple] = field(default_factory=list)

    @property
    def ticket_id(self) -> str:
        return self.row["ticket_id"]

    def value(self, column: str) -> str:
        text = self.row[column].strip().lower()
        return PRIORITY_ALIASES.get(text, text) if column == "priority" else text


def _month(day: date) -> date:
    return day.replace(day=1)


class ItsmReference:
    def __init__(self, landing: Path) -> None:
        self.landing = landing
        self.calendars = {
            calendar_id: Calendar(calendar_id)
            for calendar_id in {row["calendar_id"] for row in _seed("business_hours")}
        }
        self.default = self.calendars["default"]
        self.tiers = {row["team_id"]: int(row["tier"]) for row in _seed("teams")}
        self.tickets: dict[str, Ticket] = {}
        for row in read_rows(landing / "tickets.csv"):
            self.tickets[row["ticket_id"]] = Ticket(row, parse_instant(row["created_at"]))
        watermark = max(
            max(
                ticket.created,
                parse_instant(ticket.row["resolved_at"]) or ticket.created,
                parse_instant(ticket.row["closed_at"]) or ticket.created,
            )
            for ticket in self.tickets.values()
        )
        for row in read_rows(landing / "ticket_events.csv.gz"):
            ticket = self.tickets.get(row["ticket_id"])
            occurred = parse_instant(row["occurred_at"])
            watermark = max(watermark, occurred)
            if ticket is None:
                continue
            public = row["is_public"].strip().lower()
            ticket.events.append(
                (
                    occurred,
                    row["event_id"],
                    row["event_type"],
                    row["actor_type"],
                    public in {"true", "1", "yes", "ja"}
                    if public
                    else row["event_type"] == "reply",
                    row["from_value"].strip().lower() or None,
                    row["to_value"].strip().lower() or None,
                )
            )
        self.watermark = watermark
        for ticket in self.tickets.values():
            ticket.events.sort(key=lambda event: (event[0], event[1]))
        self.followups: dict[str, list[Ticket]] = defaultdict(list)
        for ticket in self.tickets.values():
            original = ticket.row["followup_of_ticket_id"].strip()
            if original:
                self.followups[original].append(ticket)
        self.facts = {ticket_id: self._facts(ticket) for ticket_id, ticket in self.tickets.items()}

    # ---- per ticket -------------------------------------------------------------------------

    def _facts(self, ticket: Ticket) -> dict:
        row = ticket.row
        status = ticket.value("status")
        spam = ticket.value("is_spam") in {"true", "1", "yes", "ja"}
        excluded = spam or bool(row["merged_into_ticket_id"].strip()) or status == "cancelled"
        last_resolved = None
        if status in RESOLVED:
            last_resolved = parse_instant(row["resolved_at"]) or parse_instant(row["closed_at"])
        events = ticket.events
        responses = [e[0] for e in events if e[2] == "reply" and e[3] == "agent" and e[4]]
        resolutions = [
            e[0]
            for e in events
            if e[2] == "status_change" and e[6] in RESOLVED and (e[5] or "") not in RESOLVED
        ]
        first_resolved = min(resolutions) if resolutions else last_resolved
        first_response = min((t for t in responses if t >= ticket.created), default=None)
        before = [t for t in responses if first_resolved is None or t <= first_resolved]
        requester_messages = [
            e[0]
            for e in events
            if e[2] == "reply"
            and e[3] == "requester"
            and e[4]
            and e[0] > ticket.created
            and (first_resolved is None or e[0] < first_resolved)
        ]
        reassigned = any(
            e[2] == "assignment"
            and e[5]
            and e[6]
            and e[5] != e[6]
            and (first_resolved is None or e[0] <= first_resolved)
            for e in events
        )
        escalated = any(
            e[2] == "escalation"
            or (
                e[2] == "assignment"
                and e[5] in self.tiers
                and e[6] in self.tiers
                and self.tiers[e[6]] > self.tiers[e[5]]
            )
            for e in events
        )
        reopened = False
        for index, event in enumerate(events):
            if not (
                event[2] == "status_change" and event[5] in RESOLVED and event[6] in OPEN_STATES
            ):
                continue
            earlier = [
                e[0]
                for e in events[: index + 1]
                if e[2] == "status_change" and e[6] in RESOLVED and (e[5] or "") not in RESOLVED
            ]
            later = events[index + 1 :]
            next_resolution = min(
                (
                    e[0]
                    for e in later
                    if e[2] == "status_change" and e[6] in RESOLVED and (e[5] or "") not in RESOLVED
                ),
                default=None,
            )
            next_response = min(
                (e[0] for e in later if e[2] == "reply" and e[3] == "agent" and e[4]), default=None
            )
            if (
                earlier
                and next_response is not None
                and (next_resolution is None or next_response < next_resolution)
                and event[0] - max(earlier) <= REOPEN_WINDOW
            ):
                reopened = True
        if first_resolved is not None:
            raw_last = parse_instant(row["resolved_at"]) or parse_instant(row["closed_at"])
            for followup in self.followups.get(ticket.ticket_id, []):
                if (
                    followup.created > first_resolved
                    and raw_last is not None
                    and (followup.created - raw_last <= REOPEN_WINDOW)
                ):
                    reopened = True
        channel = ticket.value("channel")
        origin = ticket.value("origin") or "requester"
        ticket_type = ticket.value("ticket_type")
        live = channel in LIVE
        first_resolution_business = (
            self.default.seconds(ticket.created, first_resolved) if first_resolved else None
        )
        fcr_eligible = (
            not excluded
            and ticket_type != "problem"
            and origin == "requester"
            and first_resolved is not None
            and (live or len(before) >= 1)
        )
        if live:
            fcr = first_resolution_business is not None and first_resolution_business <= 3600
        else:
            fcr = len(before) == 1 and not requester_messages
        fcr = fcr and not reassigned and not escalated and not reopened
        response_eligible = (
            not excluded
            and ticket_type != "problem"
            and origin == "requester"
            and channel not in {"phone", "walk_in"}
        )
        return {
            "excluded": excluded,
            "type": ticket_type,
            "priority": ticket.value("priority"),
            "origin": origin,
            "channel": channel,
            "status": status,
            "first_response": first_response,
            "first_response_bh": (
                self.default.seconds(ticket.created, first_response) / 3600
                if first_response
                else None
            ),
            "first_resolved": first_resolved,
            "last_resolved": last_resolved,
            "resolution_cal_h": (
                (last_resolved - ticket.created).total_seconds() / 3600 if last_resolved else None
            ),
            "resolution_bh": (
                self.default.seconds(ticket.created, last_resolved) / 3600
                if last_resolved
                else None
            ),
            "fcr_eligible": fcr_eligible,
            "fcr": fcr,
            "reopened": reopened,
            "escalated": escalated,
            "response_eligible": response_eligible,
            "sla": self._sla(
                ticket, status, excluded, origin, channel, first_response, last_resolved
            ),
        }

    def _intervals(self, ticket: Ticket) -> list[tuple[str, datetime, datetime | None]]:
        changes = [("", ticket.created, "new")] + [
            (e[1], max(e[0], ticket.created), e[6])
            for e in ticket.events
            if e[2] == "status_change"
        ]
        changes.sort(key=lambda change: (change[1], change[0]))
        return [
            (status, start, changes[index + 1][1] if index + 1 < len(changes) else None)
            for index, (_, start, status) in enumerate(changes)
        ]

    def _sla(self, ticket, status, excluded, origin, channel, first_response, last_resolved):
        if status == "cancelled" or excluded:
            return None
        created_day = local_date(ticket.created)
        outcomes = []
        for policy in _seed("sla_policies"):
            priority = PRIORITY_ALIASES.get(policy["priority"], policy["priority"])
            if policy["ticket_type"] != ticket.value("ticket_type") or priority != ticket.value(
                "priority"
            ):
                continue
            if date.fromisoformat(policy["valid_from"]) > created_day:
                continue
            if policy["valid_to"] and date.fromisoformat(policy["valid_to"]) < created_day:
                continue
            metric = policy["metric"]
            if metric == "first_response" and (
                origin != "requester" or channel in {"phone", "walk_in"}
            ):
                continue
            stop = first_response if metric == "first_response" else last_resolved
            until = stop or max(self.watermark, ticket.created)
            calendar = self.calendars[policy["calendar_id"]]
            paused = set((policy["pause_statuses"] or "pending").replace(" ", "").split(";"))
            target = float(policy["target_minutes"]) * 60
            elapsed, breach = 0.0, None
            for interval_status, start, end in self._intervals(ticket):
                if start >= until or interval_status in paused | RESOLVED | {"cancelled"}:
                    continue
                segment_end = min(end or until, until)
                running = calendar.seconds(start, segment_end)
                if breach is None and elapsed <= target < elapsed + running:
                    breach = calendar.instant_after(start, target - elapsed)
                elapsed += running
            if elapsed > target:
                outcomes.append(("breached", breach))
            elif stop is not None:
                outcomes.append(("met", stop))
            else:
                outcomes.append(("running", None))
        if not outcomes:
            return None
        if any(kind == "breached" for kind, _ in outcomes):
            return ("breached", min(at for kind, at in outcomes if kind == "breached"))
        if all(kind == "met" for kind, _ in outcomes):
            return ("met", max(at for _, at in outcomes))
        return ("running", None)

    # ---- KPIs at month grain ----------------------------------------------------------------

    def _segment(self, facts: dict, segment: str | None) -> str:
        return "all" if segment is None else facts[segment]

    def monthly(self, kpi_id: str, segment: str | None = None) -> dict[tuple[date, str], tuple]:
        """(month, segment value) -> (n, value)."""
        units: dict[tuple[date, str], list] = defaultdict(list)
        for ticket_id, facts in self.facts.items():
            for when, value in self._units(kpi_id, ticket_id, facts):
                units[(_month(local_date(when)), self._segment(facts, segment))].append(value)
        return {key: _statistic(kpi_id, values) for key, values in units.items()}

    def _units(self, kpi_id: str, ticket_id: str, facts: dict) -> list[tuple[datetime, object]]:
        ticket = self.tickets[ticket_id]
        if kpi_id in {"itsm_frt", "itsm_afrt"}:
            if facts["response_eligible"] and facts["first_response"]:
                return [(facts["first_response"], facts["first_response_bh"])]
        elif kpi_id == "itsm_fcr":
            if facts["fcr_eligible"]:
                return [(facts["first_resolved"], facts["fcr"])]
        elif kpi_id == "itsm_mttr":
            if facts["type"] == "incident" and facts["last_resolved"] and not facts["excluded"]:
                return [(facts["last_resolved"], facts["resolution_cal_h"])]
        elif kpi_id == "itsm_reopen_rate":
            if facts["type"] == "incident" and facts["first_resolved"] and not facts["excluded"]:
                return [(facts["first_resolved"], facts["reopened"])]
        elif kpi_id == "itsm_sla_compliance":
            if facts["sla"] and facts["sla"][0] in {"met", "breached"}:
                return [(facts["sla"][1], facts["sla"][0] == "met")]
        elif kpi_id == "itsm_request_fulfillment_time":
            if (
                facts["type"] == "service_request"
                and facts["last_resolved"]
                and not facts["excluded"]
            ):
                return [(facts["last_resolved"], facts["resolution_bh"])]
        elif kpi_id == "itsm_escalation_rate":
            if facts["last_resolved"] and not facts["excluded"] and facts["type"] != "problem":
                return [(facts["last_resolved"], facts["escalated"])]
        elif kpi_id == "itsm_problem_resolution_time":
            if facts["type"] == "problem" and facts["last_resolved"] and not facts["excluded"]:
                return [(facts["last_resolved"], facts["resolution_cal_h"] / 24)]
        elif kpi_id == "itsm_avg_response_time" and facts["response_eligible"]:
            return self._cycles(ticket)
        return []

    def _cycles(self, ticket: Ticket) -> list[tuple[datetime, float]]:
        stream = [(ticket.created, 0, "")] + [
            (e[0], 1 if e[3] == "agent" else 0, e[1])
            for e in ticket.events
            if e[2] == "reply" and e[4] and e[3] in {"agent", "requester"}
        ]
        stream.sort()
        cycles, waiting_since = [], None
        for occurred, is_response, _ in stream:
            if not is_response:
                waiting_since = waiting_since or occurred
            elif waiting_since is not None:
                cycles.append((occurred, self.default.seconds(waiting_since, occurred) / 3600))
                waiting_since = None
        return cycles

    def csat_monthly(self, segment: str | None = None) -> dict[tuple[date, str], tuple]:
        units: dict[tuple[date, str], list] = defaultdict(list)
        for row in read_rows(self.landing / "survey_responses.csv"):
            if row["survey_type"] != "csat" or not row["ticket_id"]:
                continue
            facts = self.facts.get(row["ticket_id"])
            if facts is None or facts["excluded"] or facts["type"] == "problem":
                continue
            if facts["origin"] != "requester":
                continue
            score, low, high = float(row["score"]), float(row["scale_min"]), float(row["scale_max"])
            points = high - low + 1
            keep = 1 if points <= 3 else 2 if points <= 5 else 3
            month = _month(local_date(parse_instant(row["responded_at"])))
            units[(month, self._segment(facts, segment))].append(score >= high - keep + 1)
        return {key: _statistic("rate", values) for key, values in units.items()}

    def change_success_monthly(self) -> dict[tuple[date, str], tuple]:
        caused: dict[str, list[Ticket]] = defaultdict(list)
        for ticket_id, facts in self.facts.items():
            change = self.tickets[ticket_id].row["caused_by_change_id"].strip()
            harmful = facts["priority"] in {"critical", "high", "medium"}
            if change and harmful and facts["type"] == "incident" and not facts["excluded"]:
                caused[change].append(self.tickets[ticket_id])
        units: dict[tuple[date, str], list] = defaultdict(list)
        for row in read_rows(self.landing / "changes.csv"):
            implemented = parse_instant(row["implemented_at"])
            if implemented is None or row["outcome"] == "cancelled":
                continue
            harmed = any(
                implemented <= incident.created <= implemented + CHANGE_WINDOW
                for incident in caused.get(row["change_id"], [])
            )
            units[(_month(local_date(implemented)), "all")].append(
                row["outcome"] == "successful" and not harmed
            )
        return {key: _statistic("rate", values) for key, values in units.items()}

    def cost_per_ticket_monthly(self) -> dict[tuple[date, str], tuple]:
        costs: dict[date, float] = defaultdict(float)
        for row in read_rows(self.landing / "support_costs.csv"):
            amount = row["cost_amount"].replace(" ", "")
            if "," in amount and "." in amount:
                amount = amount.replace(".", "").replace(",", ".")
            costs[_month(date.fromisoformat(row["month"][:10]))] += float(amount.replace(",", "."))
        resolved: dict[date, int] = defaultdict(int)
        for facts in self.facts.values():
            if facts["last_resolved"] and not facts["excluded"] and facts["type"] != "problem":
                resolved[_month(local_date(facts["last_resolved"]))] += 1
        return {
            (month, "all"): (
                resolved.get(month, 0),
                cost / resolved[month] if resolved.get(month) else None,
            )
            for month, cost in costs.items()
        }


def _statistic(kpi_id: str, values: list) -> tuple[int, float | None]:
    if not values:
        return (0, None)
    if kpi_id in {"itsm_frt", "itsm_problem_resolution_time"}:
        return (len(values), statistics.median(values))
    if kpi_id in {
        "itsm_afrt",
        "itsm_mttr",
        "itsm_request_fulfillment_time",
        "itsm_avg_response_time",
    }:
        return (len(values), sum(values) / len(values))
    return (len(values), sum(1 for value in values if value) / len(values))
