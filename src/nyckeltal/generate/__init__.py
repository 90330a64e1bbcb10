"""Deterministic, vectorised generator of a realistic landing folder (the raw contract).

Arrays are drawn with numpy from one seeded generator; DuckDB turns them into the contract's
tables and writes the files.  Nothing loops per row in Python.
"""

from __future__ import annotations

import csv
import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from nyckeltal.generate.clock import DAY, LocalClock
from nyckeltal.generate.defects import append_malformed_lines, inject_defects
from nyckeltal.generate.people import generate_people
from nyckeltal.generate.tickets import (
    CATEGORIES,
    CHANNELS,
    ORIGINS,
    PRIORITIES,
    SLOTS,
    TEAMS,
    TYPES,
    generate_tickets,
)

logger = logging.getLogger(__name__)

# generated data cover the HISTORY_MONTHS whole months before the month of its last day, and
# that month up to its last day (by default yesterday: a first run shows current months)
HISTORY_MONTHS = 22
TIMEZONE = "Europe/Stockholm"

SCALES = {
    "small": 20_000,
    "medium": 200_000,
    "large": 1_000_000,
    "xlarge": 10_000_000,
}

# the generator's memory: tickets are drawn this many at a time, and its DuckDB keeps at most
# GENERATE_MEMORY_LIMIT in memory, spilling the rest (xlarge writes 10M tickets in about 3 GiB)
CHUNK_TICKETS = 1_000_000
GENERATE_MEMORY_LIMIT = "1500MB"
GENERATE_SPILL_LIMIT = "60GB"

TEAM_AGENT_SHARE = (0.35, 0.12, 0.06, 0.1, 0.05, 0.25, 0.07)
SERVICES = (
    ("svc_email", "E-mail and calendar", "employee", "high"),
    ("svc_vpn", "Remote access (VPN)", "employee", "high"),
    ("svc_erp", "ERP", "employee", "critical"),
    ("svc_payroll", "Payroll", "employee", "high"),
    ("svc_laptop", "Laptops and devices", "employee", "medium"),
    ("svc_intranet", "Intranet", "employee", "low"),
    ("svc_webshop", "Web shop", "customer", "critical"),
    ("svc_mobile_app", "Mobile app", "customer", "high"),
    ("svc_invoicing", "Customer invoicing", "customer", "medium"),
    ("svc_support_portal", "Customer support portal", "customer", "medium"),
)


class GenerateError(ValueError):
    """Bad generator arguments."""


@dataclass
class GenerateReport:
    landing_dir: Path
    ticket_count: int
    seconds: float = 0.0
    row_counts: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)


def data_window(last_date: date | None = None) -> tuple[date, date]:
    """The first and last day of generated data; last_date None: yesterday (UTC)."""
    last = last_date or datetime.now(UTC).date() - timedelta(days=1)
    month = last.year * 12 + last.month - 1 - HISTORY_MONTHS
    return date(month // 12, month % 12 + 1, 1), last


def parse_scale(scale: str) -> int:
    if scale in SCALES:
        return SCALES[scale]
    try:
        count = int(scale.replace("_", ""))
    except ValueError as error:
        raise GenerateError(
            f"--scale {scale}: use small, medium, large, xlarge or a number of tickets"
        ) from error
    if count < 100:
        raise GenerateError(f"--scale {scale}: at least 100 tickets")
    return count


def chunk_sizes(count: int, chunk: int) -> list[int]:
    """count split into parts of at most chunk (one part when it fits)."""
    return [min(chunk, count - start) for start in range(0, count, chunk)]


def limit_memory(con: duckdb.DuckDBPyConnection, spill_dir: Path) -> None:
    """Cap the generator's DuckDB memory; beyond it tables spill to spill_dir (capped too)."""
    con.execute(f"set memory_limit = '{GENERATE_MEMORY_LIMIT}'")
    con.execute(f"set temp_directory = '{spill_dir}'")
    con.execute(f"set max_temp_directory_size = '{GENERATE_SPILL_LIMIT}'")


def read_holidays(project_dir: Path) -> set[date]:
    path = project_dir / "seeds" / "holidays.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            date.fromisoformat(row["holiday_date"])
            for row in csv.DictReader(handle)
            if row["calendar_id"] == "default"
        }


def _lookup(values: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({"code": np.arange(len(values), dtype=np.int64), "value": list(values)})


def generate_landing(
    landing_dir: Path,
    project_dir: Path,
    scale: str = "small",
    seed: int = 20250301,
    dirty: bool = False,
    last_date: date | None = None,
) -> GenerateReport:
    """Write every table of the contract into landing_dir; data end on last_date (default
    yesterday, see data_window)."""
    started = time.perf_counter()
    first_date, last_date = data_window(last_date)
    ticket_count = parse_scale(scale)
    employee_count = max(200, ticket_count // 20)
    customer_count = max(500, ticket_count // 5)
    rng = np.random.default_rng(seed)
    holidays = read_holidays(project_dir)
    clock = LocalClock(TIMEZONE, first_date.year, last_date.year + 1, holidays)
    epoch = date(1970, 1, 1)
    first_day = (first_date - epoch).days
    last_day = (last_date - epoch).days
    data_end = clock.to_utc(np.array([(last_day + 1) * DAY]))[0] - 1

    agent_count = int(np.clip(ticket_count // 500, 30, 600))
    per_team = np.maximum(2, np.round(np.array(TEAM_AGENT_SHARE) * agent_count)).astype(int)
    starts = np.concatenate([[0], np.cumsum(per_team)[:-1]])
    agents_by_team = [
        np.arange(start, start + size) for start, size in zip(starts, per_team, strict=True)
    ]

    landing_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="nyckeltal-generate-") as spill,
        duckdb.connect() as con,
    ):
        con.execute(f"set TimeZone = '{TIMEZONE}'")
        con.execute("set preserve_insertion_order = true")
        limit_memory(con, Path(spill))
        _register_lookups(con)
        # tickets are drawn in chunks, so the arrays of one chunk are all that numpy holds;
        # the tables grow in DuckDB, which spills beyond its memory limit
        first_index = 0
        for size in chunk_sizes(ticket_count, CHUNK_TICKETS):
            tickets = generate_tickets(
                rng,
                clock,
                first_day,
                last_day,
                size,
                employee_count,
                customer_count,
                agents_by_team,
            )
            _build_ticket_tables(con, tickets, clock, data_end, first_index=first_index)
            del tickets
            first_index += size
        generate_people(
            con,
            rng,
            clock,
            first_day,
            last_day,
            data_end,
            employee_count,
            customer_count,
            len(SERVICES),
        )
        _build_agents(con, rng, per_team, employee_count)
        _build_support_costs(con, rng, per_team, first_day, last_day)
        _materialize_outputs(con)
        defects = inject_defects(con, rng) if dirty else {}
        row_counts = _write_files(con, landing_dir)
        if dirty:
            defects.update(append_malformed_lines(landing_dir))
    report = GenerateReport(
        landing_dir=landing_dir,
        ticket_count=ticket_count,
        seconds=time.perf_counter() - started,
        row_counts=row_counts,
        defects=defects,
    )
    logger.info("generated %s tickets in %.1f s", ticket_count, report.seconds)
    return report


def _register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    for name, values in (
        ("lk_channel", CHANNELS),
        ("lk_type", TYPES),
        ("lk_priority", PRIORITIES),
        ("lk_origin", ORIGINS),
        ("lk_team", TEAMS),
        ("lk_category", CATEGORIES),
        ("lk_service", tuple(service[0] for service in SERVICES)),
    ):
        con.register(f"{name}_df", _lookup(values))
        con.execute(f"create table {name} as select * from {name}_df")
    slots = pd.DataFrame(
        {
            "code": np.arange(len(SLOTS), dtype=np.int64),
            "slot": [slot[0] for slot in SLOTS],
            "event_type": [slot[1] for slot in SLOTS],
            "actor_type": [slot[2] for slot in SLOTS],
            "is_public": [slot[3] for slot in SLOTS],
            "from_value": [slot[4] for slot in SLOTS],
            "to_value": [slot[5] for slot in SLOTS],
        }
    )
    con.register("lk_slot_df", slots)
    con.execute("create table lk_slot as select * from lk_slot_df")
    services = pd.DataFrame(
        SERVICES, columns=["service_id", "service_name", "audience", "criticality"]
    )
    con.register("services_df", services)
    con.execute("create table services as select * from services_df")


def _build_ticket_tables(
    con: duckdb.DuckDBPyConnection,
    tickets: object,
    clock: LocalClock,
    data_end: int,
    id_prefix: str = "",
    first_index: int = 0,
) -> None:
    """The tickets and ticket_events tables, or their next chunk: `first_index` is the number
    of tickets already in them (the chunk's tickets and its references to other tickets are
    numbered after those). `id_prefix` goes after T and EV in their keys (a day's delivery,
    T20261204-0000001, must not take the history's keys)."""
    ticket_key = f"'T{id_prefix}' || printf('%07d', {{}} + 1)"

    def shifted(index: np.ndarray) -> np.ndarray:
        index = index.astype(np.int64)
        return np.where(index >= 0, index + first_index, index)

    first_chunk = first_index == 0
    first_event = (
        0 if first_chunk else con.execute("select count(*) from ticket_events").fetchall()[0][0]
    )
    frame = pd.DataFrame(
        {
            "idx": np.arange(len(tickets.created), dtype=np.int64) + first_index,
            "created": tickets.created,
            "created_offset": clock.offset(tickets.created),
            "ticket_type": tickets.ticket_type.astype(np.int64),
            "is_employee": tickets.requester_is_employee,
            "requester_index": tickets.requester_index.astype(np.int64),
            "channel": tickets.channel.astype(np.int64),
            "priority": tickets.priority.astype(np.int64),
            "category": tickets.category.astype(np.int64),
            "service": tickets.service.astype(np.int64),
            "origin": tickets.origin.astype(np.int64),
            "initial_team": tickets.initial_team.astype(np.int64),
            "reassigned_team": tickets.reassigned_team.astype(np.int64),
            "final_team": tickets.final_team.astype(np.int64),
            "is_spam": tickets.is_spam,
            "merged_into": shifted(tickets.merged_into),
            "followup_of": shifted(tickets.followup_of),
            "problem_of": shifted(tickets.problem_of),
            "assignee": tickets.assignee.astype(np.int64),
        }
    )
    events = pd.DataFrame(
        {
            "idx": tickets.event_ticket + first_index,
            "slot": tickets.event_slot.astype(np.int64),
            "occurred": tickets.event_time,
            "occurred_local": clock.to_local(tickets.event_time),
        }
    )
    con.register("ticket_frame", frame)
    con.register("event_frame", events)
    con.execute("create table ticket_base as select * from ticket_frame")
    con.execute(
        f"""
        create table event_base as
        select
            event_frame.idx,
            event_frame.slot,
            event_frame.occurred,
            event_frame.occurred_local,
            {first_event} + row_number() over (
                order by event_frame.occurred, event_frame.idx, event_frame.slot
            ) as event_number
        from event_frame
        where event_frame.occurred <= {data_end}
        """
    )
    # the ticket's state at the end of the data: from its last status change
    con.unregister("ticket_frame")
    con.unregister("event_frame")
    del frame, events
    con.execute(
        """
        create table ticket_state as
        select
            event_base.idx,
            arg_max(lk_slot.to_value, event_base.occurred) filter (
                where lk_slot.event_type = 'status_change'
            ) as last_status,
            max(event_base.occurred) filter (
                where lk_slot.slot in ('resolve_first', 'resolve_again')
            ) as last_resolved,
            max(event_base.occurred) filter (where lk_slot.slot = 'close') as closed
        from event_base
        inner join lk_slot on event_base.slot = lk_slot.code
        group by 1
        """
    )
    con.execute(
        f"""
        create table new_tickets as
        select
            {ticket_key.format("ticket_base.idx")} as ticket_id,
            lk_type.value as ticket_type,
            case when ticket_base.is_employee then 'employee' else 'customer' end
                as requester_type,
            case
                when ticket_base.is_employee
                    then 'E' || printf('%06d', ticket_base.requester_index + 1)
                else 'C' || printf('%06d', ticket_base.requester_index + 1)
            end as requester_id,
            lk_channel.value as channel,
            lk_priority.value as priority,
            lk_category.value as category,
            lk_service.value as service_id,
            lk_team.value as team_id,
            'AG' || printf('%04d', ticket_base.assignee + 1) as assignee_id,
            coalesce(
                case when ticket_state.last_status = 'resolved' and ticket_state.closed is not null
                    then 'closed' end,
                ticket_state.last_status,
                'new'
            ) as status,
            ticket_base.created,
            ticket_base.created_offset,
            case
                when coalesce(ticket_state.last_status, 'new') in ('resolved', 'closed')
                    then ticket_state.last_resolved
            end as resolved,
            ticket_state.closed,
            case when ticket_base.problem_of >= 0
                then {ticket_key.format("ticket_base.problem_of")} end
                as problem_id,
            cast(null as varchar) as caused_by_change_id,
            case when ticket_base.merged_into >= 0
                then {ticket_key.format("ticket_base.merged_into")} end
                as merged_into_ticket_id,
            lk_origin.value as origin,
            ticket_base.is_spam,
            case when ticket_base.followup_of >= 0
                then {ticket_key.format("ticket_base.followup_of")} end
                as followup_of_ticket_id,
            ticket_base.idx,
            ticket_base.initial_team,
            ticket_base.reassigned_team,
            ticket_base.final_team
        from ticket_base
        left join ticket_state on ticket_base.idx = ticket_state.idx
        inner join lk_type on ticket_base.ticket_type = lk_type.code
        inner join lk_channel on ticket_base.channel = lk_channel.code
        inner join lk_priority on ticket_base.priority = lk_priority.code
        inner join lk_category on ticket_base.category = lk_category.code
        inner join lk_service on ticket_base.service = lk_service.code
        inner join lk_team on ticket_base.final_team = lk_team.code
        inner join lk_origin on ticket_base.origin = lk_origin.code
        where ticket_base.created <= (select max(occurred) from event_base)
        """
    )
    # spam and merged tickets close without a resolution; the closing event starts from 'new'
    con.execute(
        """
        update new_tickets set status = 'closed', resolved = null
        where is_spam or merged_into_ticket_id is not null
        """
    )
    con.execute(
        f"""
        create table new_ticket_events as
        select
            'EV{id_prefix}' || printf('%09d', event_base.event_number) as event_id,
            tickets.ticket_id,
            event_base.occurred_local,
            lk_slot.event_type,
            lk_slot.actor_type,
            case
                when lk_slot.actor_type = 'agent' then tickets.assignee_id
                when lk_slot.actor_type = 'requester' then tickets.requester_id
            end as actor_id,
            lk_slot.is_public,
            case
                when lk_slot.slot = 'close' and (tickets.is_spam
                    or tickets.merged_into_ticket_id is not null) then 'new'
                when lk_slot.from_value = '@old_priority'
                    then case tickets.priority when 'low' then 'medium' else 'low' end
                when lk_slot.from_value = '@initial_team' then initial_team.value
                when lk_slot.from_value = '@reassigned_team' then reassigned_team.value
                else lk_slot.from_value
            end as from_value,
            case
                when lk_slot.to_value = '@priority' then tickets.priority
                when lk_slot.to_value = '@initial_team' then initial_team.value
                when lk_slot.to_value = '@reassigned_team' then reassigned_team.value
                when lk_slot.to_value = '@escalated_team' then tickets.team_id
                else lk_slot.to_value
            end as to_value,
            event_base.occurred
        from event_base
        inner join new_tickets as tickets on event_base.idx = tickets.idx
        inner join lk_slot on event_base.slot = lk_slot.code
        inner join lk_team as initial_team on tickets.initial_team = initial_team.code
        inner join lk_team as reassigned_team on tickets.reassigned_team = reassigned_team.code
        order by event_base.event_number
        """
    )
    con.execute("drop table ticket_base; drop table event_base; drop table ticket_state")
    for table in ("tickets", "ticket_events"):
        if first_chunk:
            con.execute(f"alter table new_{table} rename to {table}")
        else:
            con.execute(f"insert into {table} select * from new_{table}")
            con.execute(f"drop table new_{table}")


def _build_agents(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    per_team: np.ndarray,
    employee_count: int,
) -> None:
    team_of_agent = np.repeat(np.arange(len(per_team)), per_team)
    size = len(team_of_agent)
    employee = rng.choice(employee_count, size=size, replace=False)
    con.register(
        "agent_df",
        pd.DataFrame({"agent": np.arange(size), "team": team_of_agent, "employee": employee}),
    )
    con.execute(
        """
        create table agents as
        select
            'AG' || printf('%04d', agent + 1) as agent_id,
            'E' || printf('%06d', employee + 1) as employee_id,
            lk_team.value as team_id,
            date '2020-01-01' as active_from,
            cast(null as date) as active_to
        from agent_df
        inner join lk_team on agent_df.team = lk_team.code
        """
    )


def _build_support_costs(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    per_team: np.ndarray,
    first_day: int,
    last_day: int,
) -> None:
    epoch = pd.Timestamp("1970-01-01")
    months = pd.date_range(
        epoch + pd.Timedelta(days=first_day), epoch + pd.Timedelta(days=last_day), freq="MS"
    ).date
    teams = np.arange(len(per_team))
    team_index = np.tile(teams, len(months))
    month_index = np.repeat(np.arange(len(months)), len(teams))
    cost = per_team[team_index] * 61_000.0 * rng.uniform(0.9, 1.1, len(team_index))
    con.register(
        "cost_df",
        pd.DataFrame(
            {
                "month": np.array(months)[month_index],
                "team": team_index,
                "cost_amount": np.round(cost, 2),
            }
        ),
    )
    con.execute(
        """
        create table support_costs as
        select cast(month as date) as month, lk_team.value as team_id, cost_amount,
            'SEK' as currency
        from cost_df
        inner join lk_team on cost_df.team = lk_team.code
        """
    )


def local_text(
    epoch_column: str, with_offset: bool = False, pattern: str = "%Y-%m-%d %H:%M:%S"
) -> str:
    """Format epoch seconds as local text (ISO unless `pattern` says otherwise), optionally
    ISO with its UTC offset (+01:00)."""
    local = f"timezone('{TIMEZONE}', to_timestamp({epoch_column}))"
    if not with_offset:
        return f"strftime({local}, '{pattern}')"
    offset = f"cast(epoch({local}) - {epoch_column} as integer)"
    return (
        f"strftime({local}, '%Y-%m-%dT%H:%M:%S') || '+' "
        f"|| printf('%02d', {offset} // 3600) || ':' "
        f"|| printf('%02d', ({offset} % 3600) // 60)"
    )


def _utc_text(epoch_column: str) -> str:
    return f"strftime(timezone('UTC', to_timestamp({epoch_column})), '%Y-%m-%dT%H:%M:%SZ')"


# what each landing file holds; timestamps deliberately use every form the contract allows
FILE_QUERIES = {
    "tickets.csv": f"""
        select ticket_id, ticket_type, requester_type, requester_id, channel, priority, category,
            service_id, team_id, assignee_id, status,
            {local_text("created", with_offset=True)} as created_at,
            {_utc_text("resolved")} as resolved_at,
            {_utc_text("closed")} as closed_at,
            problem_id, caused_by_change_id, merged_into_ticket_id, origin,
            case when is_spam then 'true' else 'false' end as is_spam,
            followup_of_ticket_id
        from tickets order by ticket_id
    """,
    "ticket_events.csv.gz": """
        select event_id, ticket_id,
            strftime(make_timestamp(occurred_local * 1000000), '%Y-%m-%d %H:%M:%S')
                as occurred_at,
            event_type, actor_type, actor_id, is_public, from_value, to_value
        from ticket_events order by event_id
    """,
    "agents.csv": "select * from agents order by agent_id",
    "services.csv": "select * from services order by service_id",
    "support_costs.csv": "select * from support_costs order by month, team_id",
    "changes.csv": f"""
        select change_id, service_id, change_type,
            {local_text("requested")} as requested_at,
            {local_text("implemented")} as implemented_at, outcome
        from changes order by change_id
    """,
    "service_outages.csv": f"""
        select outage_id, service_id, {_utc_text("started")} as started_at,
            {_utc_text("ended")} as ended_at,
            case when is_planned then 'ja' else 'nej' end as is_planned
        from service_outages order by outage_id
    """,
    "service_usage.parquet": "select * from service_usage order by usage_date, user_id",
    "survey_responses.csv": f"""
        select response_id, survey_type, respondent_type, respondent_id, ticket_id,
            {local_text("responded")} as responded_at, score, scale_min, scale_max, question_id
        from survey_responses order by response_id
    """,
    "employees.csv": """
        select employee_id, department, location, job_family, hire_date, termination_date,
            termination_reason
        from employees order by employee_id
    """,
    "customers.csv": f"""
        select customer_id, segment, country, {local_text("acquired")} as acquired_at,
            {local_text("churned")} as churned_at
        from customers order by customer_id
    """,
    "customer_revenue.csv": """
        select * from customer_revenue order by invoice_id
    """,
    "self_service_sessions.csv": f"""
        select session_id, requester_type, requester_id,
            {local_text("started")} as started_at, article_id, feedback
        from self_service_sessions order by session_id
    """,
}
# Swedish Excel exports: semicolons and decimal commas
SEMICOLON_FILES = {"support_costs.csv", "customer_revenue.csv"}


def _materialize_outputs(con: duckdb.DuckDBPyConnection) -> None:
    """Each landing file's rows as text, so defects can be planted in any column."""
    for name, query in FILE_QUERIES.items():
        table = name.split(".")[0]
        con.execute(f"create table out_{table} as select * from ({query})")
        columns = con.execute(f"select column_name from (describe out_{table})").fetchall()
        casts = ", ".join(f"cast({column} as varchar) as {column}" for (column,) in columns)
        if not name.endswith(".parquet"):
            con.execute(f"create or replace table out_{table} as select {casts} from out_{table}")
        if name in SEMICOLON_FILES:
            for (column,) in columns:
                if column.endswith("_amount"):
                    con.execute(f"update out_{table} set {column} = replace({column}, '.', ',')")


def _write_files(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> dict[str, int]:
    counts = {}
    for name in FILE_QUERIES:
        table = name.split(".")[0]
        path = landing_dir / name
        query = f"select * from out_{table}"
        if name.endswith(".parquet"):
            con.execute(f"copy ({query}) to '{path}' (format parquet)")
        else:
            options = "header true"
            if name in SEMICOLON_FILES:
                options += ", delimiter ';'"
            if name.endswith(".gz"):
                options += ", compression gzip"
            con.execute(f"copy ({query}) to '{path}' ({options})")
        counts[table] = con.execute(f"select count(*) from out_{table}").fetchall()[0][0]
    return counts
