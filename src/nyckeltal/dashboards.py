"""Dashboards per audience, written from a published database as self-contained HTML.

One file per audience and language (`management.html` in English, `management.sv.html` in
Swedish, and so on) plus `index.html`: inline CSS and inline SVG charts, no script, nothing
loaded from outside, so each opens from disk on a machine without network. Every figure is read
from the publication: tiles show the latest complete period (the catalogue's
measurement_period) of each KPI, a withheld value is shown as withheld with its reason, a
provisional one is marked.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from nyckeltal.docs_index import clean_docs_leftovers, staging_docs_dir, swap_in
from nyckeltal.lock import RunLock
from nyckeltal.settings import Settings
from nyckeltal.status import NotPublishedError

LANGUAGES = ("en", "sv")


@dataclass(frozen=True)
class Audience:
    page: str
    families: tuple[str, ...]
    kpi_types: tuple[str, ...]
    segment_types: tuple[str, ...]
    title: dict[str, str]
    lead: dict[str, str]


AUDIENCES = (
    Audience(
        "management",
        ("ITSM", "customer_service", "EX", "CX"),
        ("outcome",),
        (),
        {"en": "Management: outcomes", "sv": "Ledning: effekter"},
        {
            "en": "Outcome KPIs of every family, and a scorecard of all KPIs.",
            "sv": "Effekt-KPI:er från alla områden och ett styrkort över alla KPI:er.",
        },
    ),
    Audience(
        "service-desk",
        ("ITSM", "customer_service"),
        (),
        ("priority", "team"),
        {"en": "Service desk", "sv": "Servicedesk"},
        {
            "en": "IT service management and customer-service KPIs, by priority and team.",
            "sv": "KPI:er för IT-tjänstehantering och kundtjänst, per prioritet och team.",
        },
    ),
    Audience(
        "hr",
        ("EX",),
        (),
        ("department",),
        {"en": "HR: employee experience", "sv": "HR: medarbetarupplevelse"},
        {
            "en": "Employee-experience KPIs by department; small groups are suppressed.",
            "sv": "KPI:er för medarbetarupplevelse per avdelning; små grupper visas inte.",
        },
    ),
    Audience(
        "customer",
        ("CX",),
        (),
        ("customer_segment", "country"),
        {"en": "Customer experience", "sv": "Kundupplevelse"},
        {
            "en": "Customer-experience KPIs by customer segment and country.",
            "sv": "KPI:er för kundupplevelse per kundsegment och land.",
        },
    ),
)

TEXT = {
    "en": {
        "index": "nyckeltal dashboards",
        "published": "Published",
        "run": "run",
        "data_through": "data through",
        "period": "Latest complete period",
        "target": "Target",
        "no_target": "no target",
        "met": "target met",
        "missed": "target missed",
        "withheld": "Withheld",
        "provisional": "provisional",
        "change": "vs previous period",
        "trend": "Last 12 months",
        "breakdown": "By",
        "scorecard": "Scorecard: every KPI",
        "kpi": "KPI",
        "value": "Value",
        "status": "Status",
        "benchmark": "Benchmark",
        "family": "Family",
        "language": "På svenska",
        "legend": (
            "● published  ○ or * provisional (the period or its look-ahead window is not over)  "
            "▨ withheld (not measurable reliably; the reason is given)  - - target"
        ),
        "no_value": "no rows",
    },
    "sv": {
        "index": "nyckeltal: instrumentpaneler",
        "published": "Publicerad",
        "run": "körning",
        "data_through": "data till och med",
        "period": "Senaste hela period",
        "target": "Mål",
        "no_target": "inget mål",
        "met": "målet nått",
        "missed": "målet ej nått",
        "withheld": "Undanhållen",
        "provisional": "preliminär",
        "change": "mot föregående period",
        "trend": "Senaste 12 månaderna",
        "breakdown": "Per",
        "scorecard": "Styrkort: alla KPI:er",
        "kpi": "KPI",
        "value": "Värde",
        "status": "Status",
        "benchmark": "Jämförelsevärde",
        "family": "Område",
        "language": "In English",
        "legend": (
            "● publicerad  ○ eller * preliminär (perioden eller dess eftersläpningsfönster pågår)  "
            "▨ undanhållen (går inte att mäta tillförlitligt; skälet anges)  - - mål"
        ),
        "no_value": "inga rader",
    },
}

SEGMENT_NAMES = {
    "en": {
        "priority": "priority",
        "team": "team",
        "department": "department",
        "customer_segment": "customer segment",
        "country": "country",
    },
    "sv": {
        "priority": "prioritet",
        "team": "team",
        "department": "avdelning",
        "customer_segment": "kundsegment",
        "country": "land",
    },
}

UNIT_NAMES = {
    "en": {
        "rate": "%",
        "ratio": "%",
        "business_hours": "business hours",
        "calendar_hours": "hours",
        "hours": "hours",
        "calendar_days": "days",
        "currency": "SEK",
        "nps_points": "NPS points",
        "index_points": "index points",
    },
    "sv": {
        "rate": "%",
        "ratio": "%",
        "business_hours": "arbetstimmar",
        "calendar_hours": "timmar",
        "hours": "timmar",
        "calendar_days": "dagar",
        "currency": "kr",
        "nps_points": "NPS-poäng",
        "index_points": "indexpoäng",
    },
}
KPI_TYPES = {
    "en": {"input": "input", "process": "process", "output": "output", "outcome": "outcome"},
    "sv": {"input": "insats", "process": "process", "output": "prestation", "outcome": "effekt"},
}
PERCENT_UNITS = {"rate", "ratio"}
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "sv": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}


def page_file(page: str, language: str) -> str:
    return f"{page}.html" if language == "en" else f"{page}.{language}.html"


def format_number(value: float, unit: str, language: str) -> str:
    """A KPI value as its tile shows it (without the unit): percentages with one decimal,
    money in whole units, NPS signed, other measures with 2, 1 or 0 decimals by size."""
    if unit in PERCENT_UNITS:
        number, decimals = value * 100, 1
    elif unit == "currency":
        number, decimals = value, 0
    elif unit == "nps_points":
        number, decimals = value, 1
    else:
        number = value
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    text = f"{number:,.{decimals}f}"
    if unit == "nps_points" and number > 0:
        text = "+" + text
    if language == "sv":
        text = text.replace(",", " ").replace(".", ",").replace("-", "\u2212")
    return text


def format_value(value: float, unit: str, language: str) -> str:
    number = format_number(value, unit, language)
    unit_name = UNIT_NAMES[language].get(unit, unit)
    return f"{number} {unit_name}" if unit_name != "%" else f"{number} %"


def period_label(grain: str, start: date, language: str) -> str:
    if grain == "month":
        return f"{MONTHS[language][start.month - 1]} {start.year}"
    if grain == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def reason_codes(reasons: str | None) -> str:
    if not reasons:
        return ""
    return ", ".join(dict.fromkeys(part.split(":", 1)[0].strip() for part in reasons.split("; ")))


@dataclass
class Row:
    period_start: date
    value: float | None
    status: str
    reasons: str | None
    target: float | None
    target_met: bool | None
    previous_value: float | None
    n: int | None


@dataclass
class Kpi:
    kpi_id: str
    names: dict[str, str]
    family: str
    kpi_type: str
    unit: str
    direction: str
    grain: str
    target_operator: str | None
    benchmark: str
    benchmark_source: str
    owner_role: str
    definition: str
    latest: Row | None = None
    trend: list[Row] = field(default_factory=list)
    breakdown: dict[str, dict[str, Row]] = field(default_factory=dict)


@dataclass
class Publication:
    run_id: str
    finished_at: str
    data_through: date | None
    kpis: list[Kpi]


def _row(record: tuple) -> Row:
    return Row(*record)


ROW_COLUMNS = "period_start, value, status, reasons, target, target_met, previous_value, n"


def read_publication(published_path: Path) -> Publication:
    """What the dashboards show, from a published database (opened read-only)."""
    with duckdb.connect(str(published_path), read_only=True) as con:
        run_id, finished_at = con.execute(
            "select run_id, strftime(finished_at, '%Y-%m-%d %H:%M') from publication_log"
            " order by finished_at desc limit 1"
        ).fetchall()[0]
        data_through = con.execute(
            "select cast(max(watermark_at) as date) from source_watermarks"
            " where watermark_kind = 'event'"
        ).fetchall()[0][0]
        catalog = con.execute(
            """
            select kpi_id, name_en, name_sv, family, kpi_type, unit, direction,
                measurement_period, target_operator, benchmark, benchmark_source, owner_role,
                definition
            from kpi_catalog order by kpi_id
            """
        ).fetchall()
        kpis = []
        for record in catalog:
            kpi = Kpi(
                record[0],
                {"en": record[1], "sv": record[2]},
                *record[3:8],
                target_operator=record[8] if record[8] else None,
                benchmark=record[9],
                benchmark_source=record[10],
                owner_role=record[11],
                definition=record[12],
            )
            kpis.append(kpi)
            # the latest period of the KPI's grain that has ended by the newest event data
            latest = con.execute(
                f"""
                select {ROW_COLUMNS} from kpi_values
                inner join dim_periods using (period_grain, period_start)
                where kpi_id = ? and period_grain = ? and segment_type = 'all'
                    and next_period_start <= coalesce(?, next_period_start)
                order by period_start desc limit 1
                """,
                [kpi.kpi_id, kpi.grain, data_through],
            ).fetchall()
            if not latest:
                continue
            kpi.latest = _row(latest[0])
            kpi.trend = [
                _row(item)
                for item in con.execute(
                    f"""
                    select {ROW_COLUMNS} from kpi_values
                    where kpi_id = ? and period_grain = 'month' and segment_type = 'all'
                        and period_start <= ?
                    order by period_start desc limit 12
                    """,
                    [kpi.kpi_id, kpi.latest.period_start],
                ).fetchall()
            ][::-1]
            for segment_type, segment_value, *rest in con.execute(
                f"""
                select segment_type, segment_value, {ROW_COLUMNS} from kpi_values
                where kpi_id = ? and period_grain = ? and period_start = ?
                    and segment_type <> 'all'
                order by segment_type, segment_value
                """,
                [kpi.kpi_id, kpi.grain, kpi.latest.period_start],
            ).fetchall():
                kpi.breakdown.setdefault(segment_type, {})[segment_value] = _row(tuple(rest))
    return Publication(run_id, finished_at, data_through, kpis)


FAMILY_ORDER = ("ITSM", "customer_service", "EX", "CX")


def _family_order(kpi: Kpi) -> tuple[int, str]:
    order = FAMILY_ORDER.index(kpi.family) if kpi.family in FAMILY_ORDER else len(FAMILY_ORDER)
    return order, kpi.kpi_id


def audience_kpis(publication: Publication, audience: Audience) -> list[Kpi]:
    return sorted(
        (
            kpi
            for kpi in publication.kpis
            if kpi.family in audience.families
            and (not audience.kpi_types or kpi.kpi_type in audience.kpi_types)
        ),
        key=_family_order,
    )


# ---------------------------------------------------------------- rendering

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --bg: #f4f6f9; --card: #fff;
  --good: #1b7f3b; --bad: #b3261e; --withheld: #8a6d00; --accent: #2457c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { background: #14213d; color: #fff; padding: 14px 24px; display: flex;
  flex-wrap: wrap; align-items: baseline; gap: 8px 24px; }
header h1 { font-size: 22px; margin: 0; }
header .meta { color: #c9d3e6; font-size: 13px; }
header nav a { color: #fff; margin-right: 14px; font-size: 14px; }
header nav a.current { font-weight: 700; text-decoration: none; border-bottom: 2px solid #fff; }
main { padding: 18px 24px 32px; }
p.lead { margin: 0 0 14px; color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 14px; }
.tile h2 { font-size: 15px; margin: 0 0 2px; }
.tile .sub { font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.tile .value { font-size: 30px; font-weight: 700; }
.tile .value .unit { font-size: 14px; font-weight: 400; color: var(--muted); margin-left: 4px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 7px; border-radius: 10px;
  margin-left: 6px; vertical-align: middle; }
.badge.met { background: #e3f3e8; color: var(--good); }
.badge.missed { background: #fbe7e5; color: var(--bad); }
.badge.provisional { background: #eef1f7; color: var(--muted); border: 1px dashed #98a2b3; }
.withheld-value { font-size: 22px; font-weight: 700; color: var(--withheld); }
.reason { font-size: 12px; color: var(--withheld); }
.line { font-size: 13px; color: var(--muted); }
.better { color: var(--good); } .worse { color: var(--bad); }
svg.trend { width: 100%; height: 120px; display: block; margin-top: 6px; }
section { margin-top: 22px; }
section h2 { font-size: 17px; margin: 0 0 8px; }
table { border-collapse: collapse; background: var(--card); font-size: 13px; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef1f7; font-weight: 600; }
td.met { color: var(--good); } td.missed { color: var(--bad); }
td.withheld { color: var(--withheld); font-style: italic; }
td.provisional { font-style: italic; }
.scroll { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; padding: 0 24px 24px; }
ul.pages { font-size: 17px; line-height: 2; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _trend_svg(kpi: Kpi, language: str) -> str:
    rows = kpi.trend
    if not rows:
        return ""
    width, height, left, right, top, bottom = 320, 120, 34, 6, 8, 22
    values = [row.value for row in rows if row.value is not None]
    values += [row.target for row in rows if row.target is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if math.isclose(low, high):
        low, high = low - 1 if low else -1, high + 1 if high else 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    step = (width - left - right) / max(len(rows) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [
        f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(TEXT[language]["trend"])}: {_e(kpi.names[language])}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
        f'y2="{height - bottom}" stroke="#d8dde6"/>',
        f'<text x="{left - 4}" y="{y(high - pad) + 4:.1f}" font-size="9" text-anchor="end" '
        f'fill="#5b6475">{_e(format_number(high - pad, kpi.unit, language))}</text>',
        f'<text x="{left - 4}" y="{y(low + pad) + 4:.1f}" font-size="9" text-anchor="end" '
        f'fill="#5b6475">{_e(format_number(low + pad, kpi.unit, language))}</text>',
    ]
    targets = [(x(i), y(row.target)) for i, row in enumerate(rows) if row.target is not None]
    if targets:
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in targets)
        parts.append(
            f'<polyline class="target" points="{points}" fill="none" stroke="#b3261e" '
            'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, row in enumerate(rows):
        if row.value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(row.value):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#2457c5" stroke-width="2"/>'
        )
    for index, row in enumerate(rows):
        label = period_label("month", row.period_start, language)
        if row.value is None:
            reason = f"{label}: {TEXT[language]['withheld']}: {row.reasons or ''}"
            parts.append(
                f'<g class="withheld"><title>{_e(reason)}</title>'
                f'<rect x="{x(index) - step / 2 + 1:.1f}" y="{top}" '
                f'width="{max(step - 2, 2):.1f}" height="{height - top - bottom}" '
                'fill="#f3e9c6" opacity="0.9"/>'
                f'<text x="{x(index):.1f}" y="{top + 10}" font-size="9" text-anchor="middle" '
                'fill="#8a6d00">▨</text></g>'
            )
            continue
        filled = "#2457c5" if row.status == "published" else "#ffffff"
        value_text = format_value(row.value, kpi.unit, language)
        parts.append(
            f'<circle cx="{x(index):.1f}" cy="{y(row.value):.1f}" r="3" fill="{filled}" '
            f'stroke="#2457c5" stroke-width="1.5"><title>{_e(label)}: {_e(value_text)}'
            f"{' (' + TEXT[language]['provisional'] + ')' if row.status == 'provisional' else ''}"
            "</title></circle>"
        )
    for index in (0, len(rows) - 1):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - 6}" font-size="9" text-anchor="middle" '
            f'fill="#5b6475">{_e(period_label("month", rows[index].period_start, language))}'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _change(kpi: Kpi, language: str) -> str:
    row = kpi.latest
    if row is None or row.value is None or row.previous_value is None:
        return ""
    delta = row.value - row.previous_value
    if kpi.unit in PERCENT_UNITS:
        amount = format_number(abs(delta) * 100, "index_points", language) + " pp"
    elif kpi.unit == "nps_points":
        amount = format_number(abs(delta), "index_points", language)
        amount += " " + UNIT_NAMES[language][kpi.unit]
    else:
        amount = format_value(abs(delta), kpi.unit, language)
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    better = (delta < 0) if kpi.direction == "lower" else (delta > 0)
    kind = "" if delta == 0 else ("better" if better else "worse")
    return (
        f'<div class="line change"><span class="{kind}">{arrow} {_e(amount)}</span> '
        f"{_e(TEXT[language]['change'])}</div>"
    )


def _target_text(kpi: Kpi, row: Row, language: str) -> str:
    if row.target is None:
        return TEXT[language]["no_target"]
    return f"{kpi.target_operator or ''} {format_value(row.target, kpi.unit, language)}"


def _tile(kpi: Kpi, language: str) -> str:
    text = TEXT[language]
    row = kpi.latest
    head = (
        f'<h2>{_e(kpi.names[language])}</h2><div class="sub">{_e(kpi.kpi_id)} · '
        f"{_e(KPI_TYPES[language].get(kpi.kpi_type, kpi.kpi_type))} · {_e(kpi.owner_role)}</div>"
    )
    if row is None:
        return f'<div class="tile" data-kpi="{_e(kpi.kpi_id)}">{head}{_e(text["no_value"])}</div>'
    period = period_label(kpi.grain, row.period_start, language)
    if row.value is None:
        body = (
            f'<div class="withheld-value">{_e(text["withheld"])}</div>'
            f'<div class="reason">{_e(row.reasons or "")}</div>'
        )
    else:
        badge = ""
        if row.target_met is not None:
            kind = "met" if row.target_met else "missed"
            badge = f'<span class="badge {kind}">{_e(text[kind])}</span>'
        if row.status == "provisional":
            badge += f'<span class="badge provisional">{_e(text["provisional"])}</span>'
        unit = UNIT_NAMES[language].get(kpi.unit, kpi.unit)
        body = (
            f'<div><span class="value" data-value="{row.value!r}">'
            f"{_e(format_number(row.value, kpi.unit, language))}"
            f'<span class="unit">{_e(unit)}</span></span>{badge}</div>'
        )
    lines = (
        f'<div class="line">{_e(text["period"])}: {_e(period)} · {_e(text["target"])}: '
        f"{_e(_target_text(kpi, row, language))}</div>"
    )
    return (
        f'<div class="tile" data-kpi="{_e(kpi.kpi_id)}" data-status="{_e(row.status)}">'
        f"{head}{body}{lines}{_change(kpi, language)}{_trend_svg(kpi, language)}</div>"
    )


def _cell(kpi: Kpi, row: Row | None, language: str) -> str:
    if row is None:
        return "<td>\u2013</td>"
    if row.value is None:
        return (
            f'<td class="withheld" title="{_e(row.reasons or "")}">'
            f"{_e(TEXT[language]['withheld'].lower())} ({_e(reason_codes(row.reasons))})</td>"
        )
    kinds = []
    if row.target_met is not None:
        kinds.append("met" if row.target_met else "missed")
    if row.status == "provisional":
        kinds.append("provisional")
    mark = "*" if row.status == "provisional" else ""
    return (
        f'<td class="{" ".join(kinds)}">'
        f"{_e(format_value(row.value, kpi.unit, language))}{mark}</td>"
    )


def _breakdown(kpis: list[Kpi], segment_type: str, language: str) -> str:
    values = sorted({value for kpi in kpis for value in kpi.breakdown.get(segment_type, {})})
    if not values:
        return ""
    text = TEXT[language]
    header = "".join(f"<th>{_e(value)}</th>" for value in values)
    rows = []
    for kpi in kpis:
        cells = kpi.breakdown.get(segment_type)
        if not cells:
            continue
        period = period_label(kpi.grain, kpi.latest.period_start, language) if kpi.latest else ""
        rows.append(
            f"<tr><td>{_e(kpi.names[language])} <span class='line'>({_e(period)})</span></td>"
            + "".join(_cell(kpi, cells.get(value), language) for value in values)
            + "</tr>"
        )
    name = SEGMENT_NAMES[language].get(segment_type, segment_type)
    return (
        f'<section class="breakdown" data-segment="{_e(segment_type)}"><h2>'
        f"{_e(text['breakdown'])} {_e(name)}</h2><div class='scroll'><table><tr>"
        f"<th>{_e(text['kpi'])}</th>{header}</tr>{''.join(rows)}</table></div></section>"
    )


def _scorecard(kpis: list[Kpi], language: str) -> str:
    text = TEXT[language]
    rows = []
    for kpi in kpis:
        row = kpi.latest
        period = period_label(kpi.grain, row.period_start, language) if row else ""
        target = _target_text(kpi, row, language) if row else ""
        if row is None:
            status = text["no_value"]
        elif row.value is None:
            status = f"{text['withheld']}: {row.reasons or ''}"
        elif row.target_met is None:
            status = text["provisional"] if row.status == "provisional" else text["no_target"]
        else:
            status = text["met"] if row.target_met else text["missed"]
            if row.status == "provisional":
                status += f" ({text['provisional']})"
        rows.append(
            f"<tr><td>{_e(kpi.names[language])}</td><td>{_e(kpi.family)}</td>"
            f"<td>{_e(period)}</td>{_cell(kpi, row, language)}<td>{_e(target)}</td>"
            f"<td>{_e(status)}</td><td>{_e(kpi.benchmark)} ({_e(kpi.benchmark_source)})</td></tr>"
        )
    return (
        f'<section class="scorecard"><h2>{_e(text["scorecard"])}</h2><div class="scroll">'
        f"<table><tr><th>{_e(text['kpi'])}</th><th>{_e(text['family'])}</th>"
        f"<th>{_e(text['period'])}</th><th>{_e(text['value'])}</th>"
        f"<th>{_e(text['target'])}</th><th>{_e(text['status'])}</th>"
        f"<th>{_e(text['benchmark'])}</th></tr>{''.join(rows)}</table></div></section>"
    )


def _header(publication: Publication, title: str, current: str, language: str) -> str:
    text = TEXT[language]
    other = "sv" if language == "en" else "en"
    links = "".join(
        f'<a href="{page_file(audience.page, language)}"'
        f"{' class=current' if audience.page == current else ''}>"
        f"{_e(audience.title[language])}</a>"
        for audience in AUDIENCES
    )
    through = (
        f" · {text['data_through']} {publication.data_through}" if publication.data_through else ""
    )
    return (
        f"<header><h1>{_e(title)}</h1><span class='meta'>{_e(text['published'])} "
        f"{_e(publication.finished_at)} UTC · {_e(text['run'])} {_e(publication.run_id)}"
        f"{_e(through)}</span><nav>{links}"
        f'<a href="{page_file(current, other)}" hreflang="{other}">{_e(text["language"])}</a>'
        "</nav></header>"
    )


def _document(language: str, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def render_page(publication: Publication, audience: Audience, language: str) -> str:
    kpis = audience_kpis(publication, audience)
    text = TEXT[language]
    body = [
        _header(publication, audience.title[language], audience.page, language),
        f'<main><p class="lead">{_e(audience.lead[language])}</p>',
        f'<div class="tiles">{"".join(_tile(kpi, language) for kpi in kpis)}</div>',
    ]
    body += [_breakdown(kpis, segment_type, language) for segment_type in audience.segment_types]
    if audience.page == "management":
        body.append(_scorecard(sorted(publication.kpis, key=_family_order), language))
    body.append(f"</main><footer>{_e(text['legend'])}</footer>")
    return _document(language, f"nyckeltal · {audience.title[language]}", "".join(body))


def render_index(publication: Publication, language: str) -> str:
    text = TEXT[language]
    items = "".join(
        f'<li><a href="{page_file(audience.page, language)}">{_e(audience.title[language])}</a>'
        f" · {_e(audience.lead[language])}</li>"
        for audience in AUDIENCES
    )
    body = (
        _header(publication, text["index"], "index", language)
        + f'<main><ul class="pages">{items}</ul></main>'
    )
    return _document(language, text["index"], body)


def publish_dashboards(settings: Settings) -> list[Path]:
    """`nyckeltal dashboards`: rewrite warehouse/dashboards/ from the last publication, under
    the run lock, swapped in whole."""
    if not settings.published_path.exists():
        raise NotPublishedError(f"{settings.published_path} does not exist: run `nyckeltal run`")
    with RunLock(settings.warehouse_dir):
        clean_docs_leftovers(settings.dashboards_dir)
        staged = staging_docs_dir(settings.dashboards_dir, "dashboards")
        write_dashboards(settings.published_path, staged)
        swap_in(staged, settings.dashboards_dir)
    return sorted(settings.dashboards_dir.glob("*.html"))


def write_dashboards(published_path: Path, folder: Path) -> list[Path]:
    """Every page in both languages into `folder`; returns the English pages, index first."""
    publication = read_publication(published_path)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in LANGUAGES:
        page = folder / page_file("index", language)
        page.write_text(render_index(publication, language), encoding="utf-8")
        written.append(page)
        for audience in AUDIENCES:
            page = folder / page_file(audience.page, language)
            page.write_text(render_page(publication, audience, language), encoding="utf-8")
            written.append(page)
    return [path for path in written if path.name.count(".") == 1]
