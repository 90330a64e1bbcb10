"""Append days to a generated landing folder: each day one more delivery of tickets and ticket
events, written as a new file in the table's folder (`tickets/tickets_2026-12-04.csv`), as a
nightly export would arrive. The tables' single files move into their folders first
(`tickets.csv` becomes `tickets/tickets.csv`); the loader sees the same rows under a new path.

A day holds the tickets created that day and their events up to its end, at the history's
daily rate (weekends and holidays quieter), with keys of their own (T20261204-0000001,
EV20261204-000000001). Other tables get no new rows: the large tables are what an incremental
build has to keep up with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np

from nyckeltal.generate import (
    FILE_QUERIES,
    TIMEZONE,
    GenerateError,
    _build_ticket_tables,
    _register_lookups,
    read_holidays,
)
from nyckeltal.generate.clock import DAY, LocalClock
from nyckeltal.generate.tickets import TEAMS, generate_tickets
from nyckeltal.ingest.files import find_table_files

EPOCH = date(1970, 1, 1)
APPENDED_TABLES = {"tickets": "tickets.csv", "ticket_events": "ticket_events.csv.gz"}


@dataclass
class AppendReport:
    landing_dir: Path
    days: list[date] = field(default_factory=list)
    files: list[tuple[Path, int]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class _History:
    first_day: date
    last_day: date
    ticket_count: int
    employee_count: int
    customer_count: int
    agents_by_team: list[np.ndarray]


def _file_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths) + "]"


def _read_history(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> _History:
    """What the landing folder already holds: the days its tickets cover, how many there are,
    and the people and agents new tickets may name."""
    found = {table: find_table_files(landing_dir, table) for table in (*APPENDED_TABLES, "agents")}
    for table in ("employees", "customers"):
        found[table] = find_table_files(landing_dir, table)
    missing = [table for table, paths in found.items() if not paths]
    if missing:
        raise GenerateError(
            f"{landing_dir}: nothing to append to ({', '.join(missing)} missing);"
            " run `nyckeltal generate` first"
        )
    csv = "all_varchar = true, ignore_errors = true, union_by_name = true"
    first, last, tickets = con.execute(
        f"""
        select min(created_on), max(created_on), count(*)
        from (
            select try_cast(left(created_at, 10) as date) as created_on
            from read_csv({_file_list(found["tickets"])}, {csv})
        )
        """
    ).fetchall()[0]
    if last is None:
        raise GenerateError(f"{landing_dir}: the tickets hold no readable created_at")
    counts = {
        table: con.execute(
            f"select count(*) from read_csv({_file_list(found[table])}, {csv})"
        ).fetchall()[0][0]
        for table in ("employees", "customers")
    }
    agents = con.execute(
        f"""
        select team_id, list(try_cast(substr(agent_id, 3) as integer) - 1 order by agent_id)
        from read_csv({_file_list(found["agents"])}, {csv})
        where try_cast(substr(agent_id, 3) as integer) is not null
        group by team_id
        """
    ).fetchall()
    by_team = {team: np.array(indices, dtype=np.int64) for team, indices in agents}
    absent = [team for team in TEAMS if team not in by_team]
    if absent:
        raise GenerateError(f"{landing_dir}: agents name no agent of team {', '.join(absent)}")
    return _History(
        first,
        last,
        tickets,
        counts["employees"],
        counts["customers"],
        [by_team[team] for team in TEAMS],
    )


def into_folders(landing_dir: Path) -> None:
    """Move a table's single file into its folder, where deliveries sort after it."""
    for table in APPENDED_TABLES:
        paths = find_table_files(landing_dir, table)
        folder = landing_dir / table
        for path in paths:
            if path.parent == landing_dir:
                folder.mkdir(exist_ok=True)
                path.rename(folder / path.name)


def append_days(
    landing_dir: Path, project_dir: Path, days: int, seed: int = 20250301
) -> AppendReport:
    """Write `days` more days of tickets and events after the last day the folder holds."""
    if days < 1:
        raise GenerateError(f"--append-days {days}: at least 1")
    started = time.perf_counter()
    report = AppendReport(landing_dir)
    holidays = read_holidays(project_dir)
    with duckdb.connect() as con:
        history = _read_history(con, landing_dir)
    clock = LocalClock(
        TIMEZONE, history.first_day.year, history.last_day.year + days // 365 + 2, holidays
    )
    span = np.arange((history.first_day - EPOCH).days, (history.last_day - EPOCH).days + 1)
    weights = np.where(clock.is_working_day(span), 1.0, 0.07)
    per_working_day = history.ticket_count / weights.sum()
    into_folders(landing_dir)
    for offset in range(1, days + 1):
        day = history.last_day + timedelta(days=offset)
        number = (day - EPOCH).days
        weight = 1.0 if clock.is_working_day(np.array([number]))[0] else 0.07
        rng = np.random.default_rng([seed, number])
        count = max(1, int(rng.poisson(per_working_day * weight)))
        tickets = generate_tickets(
            rng,
            clock,
            number,
            number,
            count,
            history.employee_count,
            history.customer_count,
            history.agents_by_team,
        )
        day_end = clock.to_utc(np.array([(number + 1) * DAY]))[0] - 1
        with duckdb.connect() as con:
            con.execute(f"set TimeZone = '{TIMEZONE}'")
            con.execute("set preserve_insertion_order = true")
            _register_lookups(con)
            _build_ticket_tables(con, tickets, clock, day_end, id_prefix=day.strftime("%Y%m%d-"))
            for table, name in APPENDED_TABLES.items():
                suffix = name.removeprefix(table)
                path = landing_dir / table / f"{table}_{day.isoformat()}{suffix}"
                options = "header true" + (", compression gzip" if name.endswith(".gz") else "")
                con.execute(f"copy ({FILE_QUERIES[name]}) to '{path}' ({options})")
                rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
                report.files.append((path, rows))
        report.days.append(day)
    report.seconds = time.perf_counter() - started
    return report
