"""Independent CX reference: every CX KPI at month grain from the landing files, plain Python."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from itsm_reference import ItsmReference

from reference import STOCKHOLM, local_date, parse_instant, read_rows

WINDOW = timedelta(hours=72)


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM).astimezone(UTC)


def _number(text: str) -> float | None:
    text = text.replace(" ", "").replace("\xa0", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    return float(text.replace(",", "."))


def _top_box(score: float, low: float, high: float) -> bool:
    points = high - low + 1
    keep = 1 if points <= 3 else 2 if points <= 5 else 3
    return score >= high - keep + 1


class CxReference:
    def __init__(self, landing: Path, itsm: ItsmReference) -> None:
        self.landing = landing
        self.itsm = itsm
        self.customers = {
            row["customer_id"]: (
                row["segment"],
                parse_instant(row["acquired_at"]),
                parse_instant(row["churned_at"]),
            )
            for row in read_rows(landing / "customers.csv")
        }
        # the reporting range: first event of any event source to the newest watermark
        instants = [ticket.created for ticket in itsm.tickets.values()] + [itsm.watermark]
        for name, column in (
            ("self_service_sessions.csv", "started_at"),
            ("survey_responses.csv", "responded_at"),
        ):
            instants += [parse_instant(row[column]) for row in read_rows(landing / name)]
        first, last = _month(local_date(min(instants))), _month(local_date(max(instants)))
        self.months = [first]
        while self.months[-1] < last:
            self.months.append(_next_month(self.months[-1]))

    def _segment(self, customer_id: str, segment: str | None) -> str:
        if segment is None:
            return "all"
        return self.customers.get(customer_id, ("unknown",))[0]

    def churn_and_clv(self, segment: str | None) -> tuple[dict, dict]:
        revenue: dict[tuple[str, date], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for row in read_rows(self.landing / "customer_revenue.csv"):
            if row["currency"].strip().upper() != "SEK":
                continue
            key = (row["customer_id"], _month(date.fromisoformat(row["invoice_date"])))
            revenue[key][0] += _number(row["revenue_amount"]) or 0.0
            revenue[key][1] += _number(row["gross_margin_amount"]) or 0.0
        churn, clv = {}, {}
        for month in self.months:
            start, end = _midnight_utc(month), _midnight_utc(_next_month(month))
            cells: dict[str, list] = defaultdict(lambda: [0, 0, 0.0, 0.0])
            for customer_id, (_seg, acquired, churned) in self.customers.items():
                if acquired > start or (churned is not None and churned <= start):
                    continue
                cell = cells[self._segment(customer_id, segment)]
                cell[0] += 1
                cell[1] += churned is not None and churned <= end
                money = revenue.get((customer_id, month), [0.0, 0.0])
                cell[2] += money[0]
                cell[3] += money[1]
            for value, (count, churned_count, revenue_sum, margin) in cells.items():
                churn[(month, value)] = (count, churned_count / count)
                clv[(month, value)] = (
                    count,
                    margin / churned_count if churned_count and revenue_sum > 0 else None,
                )
        return churn, clv

    def nps(self, segment: str | None) -> dict:
        latest: dict[tuple, tuple] = {}
        for row in read_rows(self.landing / "survey_responses.csv"):
            if row["survey_type"] != "nps" or row["respondent_type"] != "customer":
                continue
            responded = parse_instant(row["responded_at"])
            key = (
                _month(local_date(responded)),
                self._segment(row["respondent_id"], segment),
                row["respondent_id"],
            )
            candidate = (responded, row["response_id"], float(row["score"]))
            if key not in latest or candidate > latest[key]:
                latest[key] = candidate
        cells: dict[tuple, list[float]] = defaultdict(list)
        for (month, value, _respondent), (_at, _id, score) in latest.items():
            cells[(month, value)].append(score)
        return {
            key: (
                len(scores),
                100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores),
            )
            for key, scores in cells.items()
        }

    def ces(self, segment: str | None) -> dict:
        cells: dict[tuple, list[bool]] = defaultdict(list)
        for row in read_rows(self.landing / "survey_responses.csv"):
            if row["survey_type"] != "ces":
                continue
            month = _month(local_date(parse_instant(row["responded_at"])))
            easy = _top_box(float(row["score"]), float(row["scale_min"]), float(row["scale_max"]))
            cells[(month, self._segment(row["respondent_id"], segment))].append(easy)
        return {key: (len(v), sum(v) / len(v)) for key, v in cells.items()}

    def ticket_kpi(self, kpi_id: str, segment: str | None) -> dict:
        cells: dict[tuple, list] = defaultdict(list)
        for ticket_id, facts in self.itsm.facts.items():
            ticket = self.itsm.tickets[ticket_id]
            if ticket.value("requester_type") != "customer":
                continue
            value = self._segment(ticket.row["requester_id"], segment)
            if kpi_id == "cx_frt" and facts["response_eligible"] and facts["first_response"]:
                hours = (
                    (facts["first_response"] - ticket.created).total_seconds() / 3600
                    if facts["channel"] == "chat"
                    else facts["first_response_bh"]
                )
                cells[(_month(local_date(facts["first_response"])), value)].append(hours)
            if (
                kpi_id == "cx_art"
                and facts["last_resolved"]
                and not facts["excluded"]
                and facts["type"] != "problem"
            ):
                cells[(_month(local_date(facts["last_resolved"])), value)].append(
                    facts["resolution_cal_h"]
                )
        if kpi_id == "cx_frt":
            return {key: (len(v), statistics.median(v)) for key, v in cells.items()}
        return {key: (len(v), sum(v) / len(v)) for key, v in cells.items()}

    def csat(self, segment: str | None) -> dict:
        cells: dict[tuple, list[bool]] = defaultdict(list)
        for row in read_rows(self.landing / "survey_responses.csv"):
            if row["survey_type"] != "csat" or not row["ticket_id"]:
                continue
            facts = self.itsm.facts.get(row["ticket_id"])
            ticket = self.itsm.tickets.get(row["ticket_id"])
            if facts is None or ticket.value("requester_type") != "customer":
                continue
            if facts["excluded"] or facts["type"] == "problem" or facts["origin"] != "requester":
                continue
            month = _month(local_date(parse_instant(row["responded_at"])))
            top = _top_box(float(row["score"]), float(row["scale_min"]), float(row["scale_max"]))
            cells[(month, self._segment(ticket.row["requester_id"], segment))].append(top)
        return {key: (len(v), sum(v) / len(v)) for key, v in cells.items()}

    def self_service(self) -> dict:
        opened: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for ticket in self.itsm.tickets.values():
            if ticket.value("is_spam") in {"true", "1", "yes", "ja"}:
                continue
            opened[(ticket.value("requester_type"), ticket.row["requester_id"])].append(
                ticket.created
            )
        cells: dict[tuple, list[bool]] = defaultdict(list)
        for row in read_rows(self.landing / "self_service_sessions.csv"):
            started = parse_instant(row["started_at"])
            feedback = row["feedback"] or "none"
            if not row["requester_id"]:
                if feedback not in {"solved", "not_solved"}:
                    continue
                success = feedback == "solved"
            else:
                followed = any(
                    started < created <= started + WINDOW
                    for created in opened.get((row["requester_type"], row["requester_id"]), [])
                )
                success = not followed and feedback != "not_solved"
            cells[(_month(local_date(started)), "all")].append(success)
        return {key: (len(v), sum(v) / len(v)) for key, v in cells.items()}
