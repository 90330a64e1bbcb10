"""Employees, customers, revenue, surveys, self-service, usage, outages and changes."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from nyckeltal.generate.clock import DAY, HOUR, LocalClock

DEPARTMENTS = ("IT", "HR", "Finance", "Sales", "Operations", "R&D", "Customer Service")
LOCATIONS = ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Remote")
SEGMENTS = ("enterprise", "mid_market", "smb")
COUNTRIES = ("SE", "NO", "DK", "FI", "DE")
# customers drawn at a time for their monthly invoices (one block up to --scale large)
CHUNK_CUSTOMERS = 250_000
REASONS = ("voluntary", "involuntary", "retirement", "other")


def _choice(rng: np.random.Generator, weights: list[float], size: int) -> np.ndarray:
    probabilities = np.array(weights, dtype=float)
    return rng.choice(len(weights), size=size, p=probabilities / probabilities.sum())


def _frame(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, np.ndarray]) -> None:
    con.register(f"{name}_df", pd.DataFrame(columns))
    con.execute(f"create or replace table {name} as select * from {name}_df")
    con.unregister(f"{name}_df")


def _strings(name: str, values: tuple[str, ...]) -> str:
    items = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"[{items}][{name} + 1]"


def generate_people(  # one data set, many small tables
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    clock: LocalClock,
    first_day: int,
    last_day: int,
    data_end: int,
    employee_count: int,
    customer_count: int,
    service_count: int,
) -> None:
    _employees(con, rng, first_day, last_day, employee_count)
    _customers(con, rng, first_day, last_day, customer_count)
    _revenue(con, rng, first_day, last_day)
    _surveys(con, rng, first_day, last_day, data_end)
    _self_service(con, rng, data_end)
    _usage(con, rng, first_day, last_day, service_count)
    _outages(con, rng, first_day, last_day, data_end, service_count)
    _changes(con, rng, clock, first_day, last_day, data_end, service_count)


def _employees(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    count: int,
) -> None:
    hire = rng.integers(first_day - 12 * 365, last_day - 10, count)
    tenure = rng.exponential(7.0 * 365, count).astype(np.int64) + 1
    termination = hire + tenure
    # terminations up to two months past the data are already registered (future-dated)
    terminated = termination <= last_day + 60
    reason = _choice(rng, [65, 20, 10, 5], count)
    department = _choice(rng, [8, 4, 10, 20, 25, 20, 13], count)
    location = _choice(rng, [45, 20, 15, 10, 10], count)
    # about 3 % of leavers come back later as a new employment
    rehired = terminated & (rng.random(count) < 0.03) & (termination + 400 < last_day)
    rehire_day = termination + rng.integers(30, 400, count)
    _frame(
        con,
        "employee_base",
        {
            "person": np.concatenate([np.arange(count), np.flatnonzero(rehired)]),
            "hire_day": np.concatenate([hire, rehire_day[rehired]]),
            "termination_day": np.concatenate(
                [np.where(terminated, termination, -1), np.full(int(rehired.sum()), -1)]
            ),
            "reason": np.concatenate([reason, reason[rehired]]),
            "department": np.concatenate([department, department[rehired]]),
            "location": np.concatenate([location, location[rehired]]),
        },
    )
    con.execute(
        f"""
        create table employees as
        select
            'E' || printf('%06d', row_number() over (order by person, hire_day))
                as employee_id,
            {_strings("department", DEPARTMENTS)} as department,
            {_strings("location", LOCATIONS)} as location,
            case department when 0 then 'engineering' when 5 then 'engineering'
                else 'business' end as job_family,
            date '1970-01-01' + cast(hire_day as integer) as hire_date,
            case when termination_day >= 0
                then date '1970-01-01' + cast(termination_day as integer) end as termination_date,
            case when termination_day >= 0 then {_strings("reason", REASONS)} end
                as termination_reason,
            hire_day,
            termination_day
        from employee_base
        """
    )


def _customers(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    count: int,
) -> None:
    acquired = rng.integers(first_day - 6 * 365, last_day - 5, count)
    lifetime = rng.exponential(8.0 * 365, count).astype(np.int64) + 1
    churned = acquired + lifetime
    _frame(
        con,
        "customer_base",
        {
            "idx": np.arange(count),
            "acquired_day": acquired,
            "acquired_second": rng.integers(8 * HOUR, 17 * HOUR, count),
            "churned_day": np.where(churned <= last_day, churned, -1),
            "segment": _choice(rng, [10, 30, 60], count),
            "country": _choice(rng, [55, 15, 12, 10, 8], count),
        },
    )
    con.execute(
        f"""
        create table customers as
        select
            'C' || printf('%06d', idx + 1) as customer_id,
            {_strings("segment", SEGMENTS)} as segment,
            {_strings("country", COUNTRIES)} as country,
            acquired_day * 86400 + acquired_second as acquired,
            case when churned_day >= 0 then churned_day * 86400 + 43200 end as churned,
            acquired_day,
            churned_day,
            segment as segment_code
        from customer_base
        """
    )


def _revenue(
    con: duckdb.DuckDBPyConnection, rng: np.random.Generator, first_day: int, last_day: int
) -> None:
    """Monthly invoices of every whole month of the data before the month of its last day."""
    months = con.execute(
        """
        select cast(month_start as date) as month_start
        from range(
            date_trunc('month', date '1970-01-01' + ?::integer),
            date_trunc('month', date '1970-01-01' + ?::integer),
            interval 1 month
        ) as months(month_start)
        """,
        [first_day, last_day],
    ).fetchall()
    month_days = np.array([(row[0] - row[0].__class__(1970, 1, 1)).days for row in months])
    customers = con.execute(
        "select acquired_day, churned_day, segment_code from customers order by customer_id"
    ).fetchnumpy()
    acquired = customers["acquired_day"]
    churned = np.where(customers["churned_day"] < 0, 10**9, customers["churned_day"])
    # drawn a block of customers at a time: xlarge has 2M customers by 23 months
    for first in range(0, len(acquired), CHUNK_CUSTOMERS):
        block = slice(first, first + CHUNK_CUSTOMERS)
        active = (acquired[block, None] <= month_days[None, :] + 27) & (
            churned[block, None] > month_days[None, :]
        )
        customer_index, month_index = np.nonzero(active)
        customer_index += first
        size = len(customer_index)
        base = np.array([40_000.0, 9_000.0, 1_500.0])[customers["segment_code"][customer_index]]
        amount = np.round(base * np.exp(rng.normal(0, 0.35, size)), 2)
        margin_share = rng.uniform(0.3, 0.6, size)
        _frame(
            con,
            "revenue_block",
            {
                "customer": customer_index,
                "invoice_day": month_days[month_index] + rng.integers(0, 27, size),
                "amount": amount,
                "margin": np.round(amount * margin_share, 2),
                "has_margin": rng.random(size) < 0.97,
                "in_euro": rng.random(size) < 0.01,
            },
        )
        if first == 0:
            con.execute("alter table revenue_block rename to revenue_base")
        else:
            con.execute("insert into revenue_base select * from revenue_block")
    con.execute(
        """
        create table customer_revenue as
        select
            'INV' || printf('%08d', row_number() over (order by invoice_day, customer))
                as invoice_id,
            'C' || printf('%06d', customer + 1) as customer_id,
            date '1970-01-01' + cast(invoice_day as integer) as invoice_date,
            case when in_euro then round(amount / 11.5, 2) else amount end as revenue_amount,
            case when has_margin then
                case when in_euro then round(margin / 11.5, 2) else margin end
            end as gross_margin_amount,
            case when in_euro then 'EUR' else 'SEK' end as currency
        from revenue_base
        """
    )


def _surveys(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    data_end: int,
) -> None:
    # transactional surveys after resolution: csat (all requesters), ces (customers)
    resolved_tickets = _numbered_tickets("resolved is not null and origin = 'requester'")
    resolved = con.execute(
        f"""
        select resolved, requester_type = 'customer' as is_customer
        from ({resolved_tickets}) order by position
        """
    ).fetchnumpy()
    size = len(resolved["resolved"])
    answered = rng.random(size) < 0.22
    ces = resolved["is_customer"] & (rng.random(size) < 0.45)
    csat_score = _choice(rng, [5, 5, 10, 25, 55], size) + 1
    ces_score = _choice(rng, [4, 5, 8, 12, 20, 26, 25], size) + 1
    ces_five = rng.random(size) < 0.05
    delay = (rng.exponential(10 * HOUR, size)).astype(np.int64) + 60
    _frame(
        con,
        "transactional_numbers",
        {
            "position": np.arange(size),
            "responded": resolved["resolved"] + delay,
            "csat": answered,
            "csat_score": csat_score,
            "ces": ces,
            "ces_score": np.where(ces_five, np.minimum(ces_score, 5), ces_score),
            "ces_max": np.where(ces_five, 5, 7),
        },
    )
    con.execute(
        f"""
        create table transactional_base as
        select resolved_tickets.ticket_id, resolved_tickets.requester_type as respondent_type,
            resolved_tickets.requester_id as respondent_id, numbers.* exclude (position)
        from transactional_numbers as numbers
        inner join ({resolved_tickets}) as resolved_tickets
            on numbers.position = resolved_tickets.position
        """
    )
    # relationship surveys: nps from customers, monthly pulse for employees
    months = np.array([day for day in range(first_day, last_day + 1) if _is_month_start(day)])
    customers = con.execute(
        "select acquired_day, churned_day from customers order by customer_id"
    ).fetchnumpy()
    churned = np.where(customers["churned_day"] < 0, 10**9, customers["churned_day"])
    active = (customers["acquired_day"][:, None] <= months[None, :]) & (
        churned[:, None] > months[None, :] + 28
    )
    answers = active & (rng.random(active.shape) < 0.2)
    customer_index, month_index = np.nonzero(answers)
    twice = rng.random(len(customer_index)) < 0.03
    customer_index = np.concatenate([customer_index, customer_index[twice]])
    month_index = np.concatenate([month_index, month_index[twice]])
    nps_size = len(customer_index)
    _frame(
        con,
        "nps_base",
        {
            "customer": customer_index,
            "responded": (months[month_index] + rng.integers(0, 27, nps_size)) * DAY
            + rng.integers(7 * HOUR, 20 * HOUR, nps_size),
            "score": _choice(rng, [3, 2, 2, 3, 3, 5, 7, 12, 18, 25, 20], nps_size),
        },
    )
    employees = con.execute(
        "select hire_day, termination_day from employees order by employee_id"
    ).fetchnumpy()
    leaving = np.where(employees["termination_day"] < 0, 10**9, employees["termination_day"])
    active = (employees["hire_day"][:, None] <= months[None, :]) & (
        leaving[:, None] > months[None, :] + 28
    )
    pulse = active & (rng.random(active.shape) < 0.3)
    employee_index, month_index = np.nonzero(pulse)
    pulse_size = len(employee_index)
    _frame(
        con,
        "pulse_base",
        {
            "employee": employee_index,
            "responded": (months[month_index] + rng.integers(0, 20, pulse_size)) * DAY
            + rng.integers(7 * HOUR, 18 * HOUR, pulse_size),
            "esat": _choice(rng, [5, 8, 17, 40, 30], pulse_size) + 1,
            "enps": _choice(rng, [2, 1, 2, 3, 4, 6, 8, 18, 22, 18, 16], pulse_size),
            "q1": _choice(rng, [4, 8, 20, 40, 28], pulse_size) + 1,
            "q2": _choice(rng, [6, 10, 24, 38, 22], pulse_size) + 1,
            "q3": _choice(rng, [3, 7, 18, 42, 30], pulse_size) + 1,
        },
    )
    con.execute(
        """
        create table survey_responses_base as
        select 'csat' as survey_type, respondent_type, respondent_id, ticket_id, responded,
            csat_score as score, 1 as scale_min, 5 as scale_max,
            cast(null as varchar) as question_id
        from transactional_base where csat
        union all
        select 'ces', respondent_type, respondent_id, ticket_id, responded + 120,
            ces_score, 1, ces_max, null
        from transactional_base where ces
        union all
        select 'nps', 'customer', 'C' || printf('%06d', customer + 1), null,
            responded, score, 0, 10, null
        from nps_base
        union all
        select unnest(['esat', 'enps', 'engagement', 'engagement', 'engagement']), 'employee',
            employees.employee_id, null, pulse.responded,
            unnest([pulse.esat, pulse.enps, pulse.q1, pulse.q2, pulse.q3]),
            unnest([1, 0, 1, 1, 1]), unnest([5, 10, 5, 5, 5]),
            unnest([null, null, 'eng_energy', 'eng_pride', 'eng_growth'])
        from pulse_base as pulse
        inner join (
            select employee_id, row_number() over (order by employee_id) - 1 as employee
            from employees
        ) as employees on pulse.employee = employees.employee
        """
    )
    con.execute(
        f"""
        create table survey_responses as
        select
            'R' || printf('%08d', row_number() over (order by responded, respondent_id, survey_type,
                question_id)) as response_id,
            *
        from survey_responses_base
        where responded <= {data_end}
        """
    )


def _numbered_tickets(condition: str) -> str:
    """The tickets where condition holds, numbered from 0 in ticket_id order (`position`):
    numpy draws for them by position, and their keys join back in SQL (10M ticket keys
    fetched into Python as strings would take gigabytes)."""
    return f"""
        select row_number() over (order by ticket_id) - 1 as position, *
        from tickets where {condition}
    """


def _is_month_start(day: int) -> bool:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=day)).day == 1


def _self_service(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    data_end: int,
) -> None:
    # sessions before some tickets (deflection failed), plus independent sessions
    requester_tickets = _numbered_tickets("origin = 'requester'")
    tickets = con.execute(
        f"select created from ({requester_tickets}) order by position"
    ).fetchnumpy()
    size = len(tickets["created"])
    before = rng.random(size) < 0.2
    gap = rng.integers(10 * 60, 100 * HOUR, size)
    independent = size // 2
    starts = con.execute("select min(created), max(created) from tickets").fetchall()[0]
    known = rng.random(independent) < 0.7
    is_employee = rng.random(independent) < 0.6
    requester_number = rng.integers(1, 1 + max(1, size // 20), independent)
    _frame(
        con,
        "session_base",
        {
            "position": np.concatenate([np.flatnonzero(before), np.full(independent, -1)]),
            "requester_type": np.concatenate(
                [np.full(int(before.sum()), ""), np.where(is_employee, "employee", "customer")]
            ),
            "requester_id": np.concatenate(
                [
                    np.full(int(before.sum()), ""),
                    np.where(
                        known,
                        np.char.add(
                            np.where(is_employee, "E", "C"),
                            np.char.zfill(requester_number.astype(str), 6),
                        ),
                        "",
                    ),
                ]
            ),
            "started": np.concatenate(
                [
                    tickets["created"][before] - gap[before],
                    rng.integers(starts[0], starts[1], independent),
                ]
            ),
            "feedback": np.concatenate(
                [
                    _choice(rng, [15, 45, 40], int(before.sum())),
                    _choice(rng, [45, 15, 40], independent),
                ]
            ),
            "article": rng.integers(1, 400, int(before.sum()) + independent),
        },
    )
    con.execute(
        f"""
        create table self_service_sessions as
        select
            'S' || printf('%08d', row_number() over (order by started, requester_id))
                as session_id,
            requester_type,
            nullif(requester_id, '') as requester_id,
            started,
            'KB' || printf('%04d', article) as article_id,
            ['solved', 'not_solved', 'none'][feedback + 1] as feedback
        from (
            select
                coalesce(requester_tickets.requester_type, session_base.requester_type)
                    as requester_type,
                coalesce(requester_tickets.requester_id, session_base.requester_id)
                    as requester_id,
                session_base.started,
                session_base.article,
                session_base.feedback
            from session_base
            left join ({requester_tickets}) as requester_tickets
                on session_base.position = requester_tickets.position
        ) as sessions
        where started <= {data_end}
        """
    )


def _usage(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    service_count: int,
) -> None:
    employees = con.execute(
        "select hire_day, termination_day from employees order by employee_id"
    ).fetchnumpy()
    weeks = np.arange(first_day, last_day + 1, 7)
    leaving = np.where(employees["termination_day"] < 0, 10**9, employees["termination_day"])
    active = (employees["hire_day"][:, None] <= weeks[None, :]) & (
        leaving[:, None] > weeks[None, :] + 7
    )
    # most employees touch the portal a couple of days a week; some never do
    propensity = rng.beta(2.0, 1.2, len(leaving))
    uses = active & (rng.random(active.shape) < propensity[:, None])
    employee_index, week_index = np.nonzero(uses)
    size = len(employee_index)
    _frame(
        con,
        "usage_base",
        {
            "employee": employee_index,
            "usage_day": np.minimum(weeks[week_index] + rng.integers(0, 5, size), last_day),
            "service": rng.integers(0, 6, size) % service_count,
            "sessions": rng.integers(1, 6, size),
        },
    )
    con.execute(
        """
        create table service_usage as
        select
            date '1970-01-01' + cast(usage_day as integer) as usage_date,
            lk_service.value as service_id,
            'employee' as user_type,
            employees.employee_id as user_id,
            max(usage_base.sessions) as sessions
        from usage_base
        inner join (
            select employee_id, row_number() over (order by employee_id) - 1 as employee
            from employees
        ) as employees on usage_base.employee = employees.employee
        inner join lk_service on usage_base.service = lk_service.code
        group by all
        """
    )


def _outages(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    data_end: int,
    service_count: int,
) -> None:
    count = int((last_day - first_day) / 30 * service_count * 1.5)
    started = rng.integers(first_day * DAY, last_day * DAY, count)
    duration = (30 * 60 * np.exp(rng.normal(0, 1.0, count))).astype(np.int64) + 60
    service = rng.integers(0, service_count, count)
    overlap = rng.random(count) < 0.1
    started = np.concatenate([started, started[overlap] + duration[overlap] // 2])
    duration = np.concatenate([duration, duration[overlap]])
    service = np.concatenate([service, service[overlap]])
    planned = rng.random(len(started)) < 0.35
    ended = started + duration
    ongoing = np.zeros(len(started), dtype=bool)
    ongoing[np.argmax(started)] = True
    _frame(
        con,
        "outage_base",
        {
            "started": started,
            "ended": np.where(ongoing, -1, ended),
            "service": service,
            "planned": planned & ~ongoing,
        },
    )
    con.execute(
        f"""
        create table service_outages as
        select
            'OUT' || printf('%06d', row_number() over (order by started, service))
                as outage_id,
            lk_service.value as service_id,
            started,
            case when ended >= 0 and ended <= {data_end} then ended end as ended,
            planned as is_planned
        from outage_base
        inner join lk_service on outage_base.service = lk_service.code
        where started <= {data_end}
        """
    )


def _changes(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    clock: LocalClock,
    first_day: int,
    last_day: int,
    data_end: int,
    service_count: int,
) -> None:
    ticket_count = con.execute("select count(*) from tickets").fetchall()[0][0]
    count = max(100, ticket_count // 15)
    requested = np.sort(rng.integers(first_day * DAY, last_day * DAY, count))
    implemented = clock.snap_to_business(
        requested + (3 * DAY * np.exp(rng.normal(0, 0.6, count))).astype(np.int64), rng
    )
    outcome = _choice(rng, [88, 5, 4, 3], count)
    _frame(
        con,
        "change_base",
        {
            "idx": np.arange(count),
            "requested": requested,
            "implemented": np.where(outcome == 3, -1, implemented),
            "service": rng.integers(0, service_count, count),
            "change_type": _choice(rng, [50, 45, 5], count),
            "outcome": outcome,
        },
    )
    con.execute(
        f"""
        create table changes as
        select
            'CHG' || printf('%06d', idx + 1) as change_id,
            lk_service.value as service_id,
            ['standard', 'normal', 'emergency'][change_type + 1] as change_type,
            requested,
            case when implemented >= 0 and implemented <= {data_end} then implemented end
                as implemented,
            ['successful', 'failed', 'rolled_back', 'cancelled'][outcome + 1] as outcome
        from change_base
        inner join lk_service on change_base.service = lk_service.code
        where requested <= {data_end}
        """
    )
    # some incidents are caused by a change implemented up to three weeks before them
    con.execute(
        f"""
        update tickets set caused_by_change_id = caused.change_id
        from (
            select tickets.ticket_id, changes.change_id
            from tickets
            asof inner join changes
                on tickets.created - (hash(tickets.ticket_id) % (21 * 86400)) >= changes.implemented
            where tickets.ticket_type = 'incident'
                and hash(tickets.ticket_id || '{rng.integers(0, 10**9)}') % 100 < 2
        ) as caused
        where tickets.ticket_id = caused.ticket_id
        """
    )
