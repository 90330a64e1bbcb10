"""Defects planted by `nyckeltal generate --dirty`: one kind per quarantine rule.

Each defect changes rows of the text tables (`out_<table>`) before they are written; rows are
picked without overlap, so every planted row is expected in quarantine with exactly the
reason named here (unknown references are kept and counted, not quarantined).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np


@dataclass(frozen=True)
class Defect:
    name: str
    table: str
    expected_reason: str | None  # None: the row is kept (unknown reference)
    update: str  # SQL set clause; '@dup' duplicates the row instead


DEFECTS: tuple[Defect, ...] = (
    Defect(
        "unparseable_timestamp",
        "tickets",
        "missing or unparseable created_at",
        "created_at = '2026-13-45 25:61'",
    ),
    Defect("unknown_enum", "tickets", "unknown or missing channel", "channel = 'fax'"),
    Defect("missing_required", "tickets", "missing ticket_id", "ticket_id = ''"),
    Defect("duplicate_key", "tickets", "duplicate ticket_id", "@dup"),
    Defect(
        "end_before_start",
        "tickets",
        "resolved_at before created_at",
        "resolved_at = '2001-01-01T00:00:00Z', status = 'resolved'",
    ),
    Defect("unknown_team", "tickets", None, "team_id = 'team_gone'"),
    Defect(
        "orphan_event",
        "ticket_events",
        "orphan: ticket_id not in tickets",
        "ticket_id = 'T_MISSING'",
    ),
    Defect(
        "unknown_event_type",
        "ticket_events",
        "unknown or missing event_type",
        "event_type = 'telepathy'",
    ),
    Defect(
        "score_out_of_scale",
        "survey_responses",
        "score outside its scale",
        "score = cast(cast(scale_max as integer) + 3 as varchar)",
    ),
    Defect(
        "orphan_survey",
        "survey_responses",
        "orphan: ticket_id not in tickets",
        "ticket_id = 'T_MISSING'",
    ),
    Defect("unparseable_number", "support_costs", "unparseable cost_amount", "cost_amount = 'abc'"),
    Defect(
        "termination_before_hire",
        "employees",
        "termination_date before hire_date",
        "termination_date = cast(cast(hire_date as date) - 30 as varchar),"
        " termination_reason = 'voluntary'",
    ),
    Defect(
        "unparseable_date",
        "customers",
        "missing or unparseable acquired_at",
        "acquired_at = 'igår'",
    ),
    Defect(
        "outage_end_before_start",
        "service_outages",
        "ended_at before started_at",
        "ended_at = '2001-01-01T00:00:00Z'",
    ),
)
PER_DEFECT = 5
MALFORMED_LINE_COUNT = 3
MALFORMED_REASON = "malformed CSV line"


def inject_defects(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in dict.fromkeys(defect.table for defect in DEFECTS):
        defects = [defect for defect in DEFECTS if defect.table == table]
        extra = ""
        if table == "survey_responses":
            # orphan surveys must be ticket surveys; out-of-scale scores can be any survey
            extra = "where ticket_id is not null"
        rows = [
            row[0]
            for row in con.execute(
                f"select rowid from out_{table} {extra} order by rowid"
            ).fetchall()
        ]
        picked = rng.choice(len(rows), size=PER_DEFECT * len(defects), replace=False)
        for index, defect in enumerate(defects):
            targets = [rows[position] for position in picked[index :: len(defects)]]
            id_list = ", ".join(str(target) for target in targets)
            if defect.update == "@dup":
                con.execute(
                    f"insert into out_{table} select * from out_{table} where rowid in ({id_list})"
                )
            else:
                con.execute(f"update out_{table} set {defect.update} where rowid in ({id_list})")
            counts[defect.name] = len(targets)
    return counts


def append_malformed_lines(landing_dir: Path) -> dict[str, int]:
    """Lines with too many fields, which the CSV reader rejects (quarantined as load rejects)."""
    path = landing_dir / "tickets.csv"
    with path.open("a", encoding="utf-8") as handle:
        for number in range(MALFORMED_LINE_COUNT):
            handle.write(f"TBROKEN{number},incident,employee,E000001,email,low,,,,,,,,,,,,,,,x,y\n")
    return {"malformed_csv_line": MALFORMED_LINE_COUNT}
