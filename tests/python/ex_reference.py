"""Independent EX reference: every EX KPI at month grain from the landing files, plain Python
(the Parquet usage file is read with a separately written DuckDB query)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
from cx_reference import CxReference, _midnight_utc, _next_month, _top_box
from itsm_reference import ItsmReference

from reference import local_date, parse_instant, read_rows


class ExReference:
    def __init__(self, landing: Path, itsm: ItsmReference, cx: CxReference) -> None:
        self.landing = landing
        self.itsm = itsm
        self.months = cx.months
        self.as_of = datetime.now(UTC).date()
        self.employees = {}
        for row in read_rows(landing / "employees.csv"):
            self.employees[row["employee_id"]] = (
                row["department"],
                date.fromisoformat(row["hire_date"]),
                date.fromisoformat(row["termination_date"]) if row["termination_date"] else None,
            )
        with duckdb.connect() as con:
            self.usage = con.execute(
                "select user_id, usage_date from read_parquet(?) where user_type = 'employee'",
                [str(landing / "service_usage.parquet")],
            ).fetchall()

    def _segment(self, employee_id: str, segment: str | None) -> str:
        if segment is None:
            return "all"
        return self.employees.get(employee_id, ("unknown",))[0]

    def _active(self, employee_id: str, day: date) -> bool:
        _dept, hired, terminated = self.employees[employee_id]
        return hired <= day and (terminated is None or terminated >= day)

    def _headcount(self, month: date, segment: str | None) -> dict[str, float]:
        last = _next_month(month) - timedelta(days=1)
        cells: dict[str, float] = defaultdict(float)
        for employee_id in self.employees:
            value = self._segment(employee_id, segment)
            cells[value] += (self._active(employee_id, month) + self._active(employee_id, last)) / 2
        return cells

    def turnover(self, segment: str | None) -> dict:
        result = {}
        for month in self.months:
            headcount = self._headcount(month, segment)
            leavers: dict[str, int] = defaultdict(int)
            for employee_id, (_d, _h, terminated) in self.employees.items():
                if (
                    terminated
                    and month <= terminated < _next_month(month)
                    and terminated <= self.as_of
                ):
                    leavers[self._segment(employee_id, segment)] += 1
            for value, average in headcount.items():
                if average > 0:
                    result[(month, value)] = (None, leavers[value] / average)
        return result

    def adoption(self, segment: str | None) -> dict:
        days: dict[str, list[date]] = defaultdict(list)
        for user_id, usage_date in self.usage:
            days[user_id].append(usage_date)
        result = {}
        for month in self.months:
            last = _next_month(month) - timedelta(days=1)
            cells: dict[str, list[bool]] = defaultdict(list)
            for employee_id in self.employees:
                if self._active(employee_id, last):
                    used = any(last - timedelta(days=28) < day <= last for day in days[employee_id])
                    cells[self._segment(employee_id, segment)].append(used)
            for value, flags in cells.items():
                result[(month, value)] = (len(flags), sum(flags) / len(flags))
        return result

    def service_usage(self, segment: str | None) -> dict:
        interactions = set(self.usage)
        for facts_id, facts in self.itsm.facts.items():
            ticket = self.itsm.tickets[facts_id]
            if (
                ticket.value("requester_type") == "employee"
                and not facts["excluded"]
                and facts["type"] != "problem"
            ):
                interactions.add((ticket.row["requester_id"], local_date(ticket.created)))
        users: dict[tuple, set] = defaultdict(set)
        for employee_id, day in interactions:
            if employee_id in self.employees and self._active(employee_id, day):
                users[(day.replace(day=1), self._segment(employee_id, segment))].add(employee_id)
        result = {}
        for month in self.months:
            for value, average in self._headcount(month, segment).items():
                if average > 0:
                    result[(month, value)] = (None, len(users[(month, value)]) / average)
        return result

    def surveys(self, survey_type: str, segment: str | None, scores: bool = False) -> dict:
        """(n, value) per (month, segment value); with scores=True the per-answer scores."""
        cells: dict[tuple, list] = defaultdict(list)
        latest: dict[tuple, tuple] = {}
        for row in read_rows(self.landing / "survey_responses.csv"):
            if row["survey_type"] != survey_type or row["respondent_type"] != "employee":
                continue
            responded = parse_instant(row["responded_at"])
            key = (
                local_date(responded).replace(day=1),
                self._segment(row["respondent_id"], segment),
            )
            score, low, high = float(row["score"]), float(row["scale_min"]), float(row["scale_max"])
            if survey_type == "esat":
                cells[key].append(_top_box(score, low, high))
            elif survey_type == "engagement":
                cells[key].append(100 * (score - low) / (high - low))
            else:
                latest_key = (*key, row["respondent_id"])
                candidate = (responded, row["response_id"], score)
                if latest_key not in latest or candidate > latest[latest_key]:
                    latest[latest_key] = candidate
        if survey_type == "enps":
            for (month, value, _respondent), (_at, _id, score) in latest.items():
                cells[(month, value)].append(score)
            return {
                key: (len(s), 100 * (sum(x >= 9 for x in s) - sum(x <= 6 for x in s)) / len(s))
                for key, s in cells.items()
            }
        if scores:
            return dict(cells)
        return {key: (len(v), sum(v) / len(v)) for key, v in cells.items()}

    def frt(self, segment: str | None) -> dict:
        cells: dict[tuple, list[float]] = defaultdict(list)
        for ticket_id, facts in self.itsm.facts.items():
            ticket = self.itsm.tickets[ticket_id]
            if ticket.value("requester_type") != "employee":
                continue
            if facts["response_eligible"] and facts["first_response"]:
                month = local_date(facts["first_response"]).replace(day=1)
                cells[(month, self._segment(ticket.row["requester_id"], segment))].append(
                    facts["first_response_bh"]
                )
        return {key: (len(v), statistics.median(v)) for key, v in cells.items()}

    def availability(self) -> dict:
        services = [row["service_id"] for row in read_rows(self.landing / "services.csv")]
        usage_end = max(day for _user, day in self.usage) + timedelta(days=1)
        data_end = max(self.itsm.watermark, _midnight_utc(usage_end))
        for name, column in (
            ("survey_responses.csv", "responded_at"),
            ("self_service_sessions.csv", "started_at"),
        ):
            data_end = max(
                data_end, *(parse_instant(r[column]) for r in read_rows(self.landing / name))
            )
        outages: dict[str, list] = defaultdict(list)
        for row in read_rows(self.landing / "service_outages.csv"):
            if row["is_planned"].strip().lower() in {"true", "1", "yes", "ja"}:
                continue
            outages[row["service_id"]].append(
                [parse_instant(row["started_at"]), parse_instant(row["ended_at"]) or data_end]
            )
        merged: dict[str, list] = {}
        for service, spans in outages.items():
            spans.sort()
            islands = [spans[0][:]]
            for start, end in spans[1:]:
                if start <= islands[-1][1]:
                    islands[-1][1] = max(islands[-1][1], end)
                else:
                    islands.append([start, end])
            merged[service] = islands
        result = {}
        for month in self.months:
            start, end = _midnight_utc(month), _midnight_utc(_next_month(month))
            down = 0.0
            for service in services:
                for low, high in merged.get(service, []):
                    overlap = (min(high, end) - max(low, start)).total_seconds()
                    down += max(overlap, 0.0) / 60
            agreed = (end - start).total_seconds() / 60 * len(services)
            result[(month, "all")] = (len(services), 1 - down / agreed)
        return result
