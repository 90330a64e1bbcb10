"""Tickets and their event log, generated as arrays (no per-row Python)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nyckeltal.generate.clock import DAY, HOUR, LocalClock

CHANNELS = ("phone", "email", "chat", "portal", "walk_in", "self_service")
TYPES = ("incident", "service_request", "problem", "question")
PRIORITIES = ("critical", "high", "medium", "low")
ORIGINS = ("requester", "agent", "monitoring")
TEAMS = ("it_l1", "it_l2", "it_l3", "hr_l1", "hr_l2", "cs_l1", "cs_l2")
CATEGORIES = (
    "access",
    "hardware",
    "software",
    "network",
    "payroll",
    "onboarding",
    "billing",
    "delivery",
    "account",
)

# event slots: every ticket has the same slots; a mask says which ones happened
# (slot name, event_type, actor_type, is_public, from_value, to_value); team values come later
SLOTS = (
    ("auto_reply", "reply", "system", "true", None, None),
    ("assign_initial", "assignment", "system", None, None, "@initial_team"),
    ("assign_agent", "assignment", "agent", None, "@initial_team", "@initial_team"),
    ("reassign", "assignment", "agent", None, "@initial_team", "@reassigned_team"),
    ("open", "status_change", "agent", None, "new", "open"),
    ("first_reply", "reply", "agent", "true", None, None),
    ("priority_change", "priority_change", "agent", None, "@old_priority", "@priority"),
    ("note", "note", "agent", "false", None, None),
    ("note_before_resolution", "note", "agent", "false", None, None),
    ("progress_update", "reply", "agent", "true", None, None),
    ("requester_message", "reply", "requester", "true", None, None),
    ("second_reply", "reply", "agent", "true", None, None),
    ("escalation", "escalation", "agent", None, "@reassigned_team", "@escalated_team"),
    ("escalation_assign", "assignment", "agent", None, "@reassigned_team", "@escalated_team"),
    ("pending", "status_change", "agent", None, "open", "pending"),
    ("pending_answer", "reply", "requester", "true", None, None),
    ("pending_end", "status_change", "system", None, "pending", "open"),
    ("after_pending_reply", "reply", "agent", "true", None, None),
    ("on_hold", "status_change", "agent", None, "open", "on_hold"),
    ("on_hold_end", "status_change", "agent", None, "on_hold", "open"),
    ("resolve_first", "status_change", "agent", None, "open", "resolved"),
    ("reopen_message", "reply", "requester", "true", None, None),
    ("reopen", "status_change", "system", None, "resolved", "open"),
    ("reopen_reply", "reply", "agent", "true", None, None),
    ("resolve_again", "status_change", "agent", None, "open", "resolved"),
    ("thanks", "reply", "requester", "true", None, None),
    ("cancel", "status_change", "agent", None, "open", "cancelled"),
    ("close", "status_change", "system", None, "resolved", "closed"),
)
SLOT_INDEX = {slot[0]: index for index, slot in enumerate(SLOTS)}


@dataclass
class TicketArrays:
    created: np.ndarray
    ticket_type: np.ndarray
    requester_is_employee: np.ndarray
    requester_index: np.ndarray
    channel: np.ndarray
    priority: np.ndarray
    category: np.ndarray
    service: np.ndarray
    origin: np.ndarray
    initial_team: np.ndarray
    reassigned_team: np.ndarray
    final_team: np.ndarray
    is_spam: np.ndarray
    merged_into: np.ndarray
    followup_of: np.ndarray
    problem_of: np.ndarray
    assignee: np.ndarray
    event_ticket: np.ndarray
    event_slot: np.ndarray
    event_time: np.ndarray


def _lognormal(rng: np.random.Generator, median_seconds: np.ndarray, sigma: float) -> np.ndarray:
    size = len(median_seconds)
    return (median_seconds * np.exp(rng.normal(0.0, sigma, size))).astype(np.int64) + 1


def _choice(rng: np.random.Generator, weights: list[float], size: int) -> np.ndarray:
    probabilities = np.array(weights, dtype=float)
    return rng.choice(len(weights), size=size, p=probabilities / probabilities.sum()).astype(
        np.int8
    )


def arrival_times(
    rng: np.random.Generator, clock: LocalClock, first_day: int, last_day: int, count: int
) -> np.ndarray:
    """Creation moments (UTC epoch seconds): weekdays and office hours, few on holidays."""
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    weights = np.where(clock.is_working_day(days), 1.0, 0.07)
    day = rng.choice(days, size=count, p=weights / weights.sum())
    office = rng.random(count) < 0.88
    second = np.where(
        office,
        np.clip(rng.normal(11.5 * HOUR, 2.6 * HOUR, count), 6.5 * HOUR, 19.5 * HOUR),
        rng.uniform(0, DAY, count),
    ).astype(np.int64)
    return np.sort(clock.to_utc(day * DAY + second))


def generate_tickets(
    rng: np.random.Generator,
    clock: LocalClock,
    first_day: int,
    last_day: int,
    count: int,
    employee_count: int,
    customer_count: int,
    agents_by_team: list[np.ndarray],
) -> TicketArrays:
    n = count
    created = arrival_times(rng, clock, first_day, last_day, n)
    is_employee = rng.random(n) < 0.6
    ticket_type = np.where(
        is_employee, _choice(rng, [48, 35, 5, 12], n), _choice(rng, [40, 10, 0, 50], n)
    ).astype(np.int8)
    channel = np.where(
        is_employee,
        _choice(rng, [15, 30, 15, 35, 5, 0], n),
        _choice(rng, [20, 40, 30, 10, 0, 0], n),
    ).astype(np.int8)
    priority = _choice(rng, [3, 12, 45, 40], n)
    origin = _choice(rng, [92, 5, 3], n)
    origin = np.where((origin == 2) & (ticket_type != 0), 1, origin).astype(np.int8)
    origin = np.where(ticket_type == 2, 1, origin).astype(np.int8)  # problems are logged by agents
    category = rng.integers(0, len(CATEGORIES), n).astype(np.int8)
    service = rng.integers(0, 10, n).astype(np.int8)
    requester_index = np.where(
        is_employee, rng.integers(0, employee_count, n), rng.integers(0, customer_count, n)
    )
    hr = is_employee & (rng.random(n) < 0.15)
    initial_team = np.where(is_employee, np.where(hr, 3, 0), 5).astype(np.int8)

    live = (channel == 0) | (channel == 4)
    chat = channel == 2
    requester_origin = origin == 0
    has_replies = ~live
    is_spam = rng.random(n) < 0.005
    merged = (~is_spam) & (rng.random(n) < 0.01) & (np.arange(n) > 10)
    cancelled = (~is_spam) & (~merged) & (rng.random(n) < 0.01)
    normal = ~(is_spam | merged | cancelled)

    reassigned = normal & (rng.random(n) < 0.04) & is_employee
    reassigned_team = np.where(reassigned, np.where(initial_team == 0, 3, 0), initial_team).astype(
        np.int8
    )
    escalation_chance = np.where(ticket_type == 0, 0.14, 0.05) + np.where(priority == 0, 0.2, 0.0)
    escalated = normal & (rng.random(n) < escalation_chance)
    to_third = escalated & (reassigned_team == 0) & (rng.random(n) < 0.2)
    escalated_team = np.where(
        to_third, 2, np.where(reassigned_team == 0, 1, np.where(reassigned_team == 3, 4, 6))
    ).astype(np.int8)
    final_team = np.where(escalated, escalated_team, reassigned_team).astype(np.int8)

    times = np.zeros((len(SLOTS), n), dtype=np.int64)
    mask = np.zeros((len(SLOTS), n), dtype=bool)

    def put(slot: str, when: np.ndarray, where: np.ndarray) -> None:
        times[SLOT_INDEX[slot]] = when
        mask[SLOT_INDEX[slot]] = where

    put(
        "auto_reply",
        created + rng.integers(20, 120, n),
        ((channel == 1) | (channel == 3)) & requester_origin & ~is_spam,
    )
    put("assign_initial", created + rng.integers(30, 300, n), ~is_spam)
    put("assign_agent", created + rng.integers(150, 290, n), ~is_spam & (rng.random(n) < 0.6))
    put("reassign", created + rng.integers(300, 3600, n), reassigned)
    reply_median = np.array([0.3, 1.0, 3.0, 6.0])[priority] * HOUR
    first_reply = np.where(
        chat,
        created + _lognormal(rng, np.full(n, 180.0), 0.8),
        clock.snap_to_business(created + _lognormal(rng, reply_median, 1.1), rng),
    )
    first_reply = np.where(reassigned, np.maximum(first_reply, created + 3700), first_reply)
    opened_at = np.where(live, created + rng.integers(30, 120, n), first_reply - 30)
    put("open", opened_at, normal)
    put("first_reply", first_reply, normal & has_replies)
    put("priority_change", created + rng.integers(120, 1800, n), normal & (rng.random(n) < 0.05))
    put("note", first_reply + rng.integers(60, 1800, n), normal & (rng.random(n) < 0.8))
    last = np.maximum(opened_at, np.where(has_replies, first_reply, opened_at))

    one_touch = normal & has_replies & (rng.random(n) < 0.45)
    live_quick = normal & live & (rng.random(n) < 0.7)
    complex_ticket = normal & ~one_touch & ~live_quick

    update = complex_ticket & has_replies & (rng.random(n) < 0.4)
    update_at = clock.snap_to_business(last + _lognormal(rng, np.full(n, 3.0 * HOUR), 1.0), rng)
    put("progress_update", update_at, update)
    last = np.where(update, update_at, last)

    follow = complex_ticket & has_replies & (rng.random(n) < 0.35)
    message = last + _lognormal(rng, np.full(n, 2.0 * HOUR), 1.0)
    second = clock.snap_to_business(message + _lognormal(rng, np.full(n, 1.5 * HOUR), 1.0), rng)
    put("requester_message", message, follow)
    put("second_reply", second, follow)
    last = np.where(follow, second, last)

    escalation_time = clock.snap_to_business(last + _lognormal(rng, np.full(n, HOUR), 1.0), rng)
    put("escalation", escalation_time, escalated & complex_ticket)
    put("escalation_assign", escalation_time + 1, escalated & complex_ticket)
    escalated = escalated & complex_ticket
    final_team = np.where(escalated, escalated_team, reassigned_team).astype(np.int8)
    last = np.where(escalated, escalation_time + 1, last)

    pending = complex_ticket & (rng.random(n) < 0.3)
    pending_start = last + rng.integers(60, 900, n)
    pending_end = pending_start + _lognormal(rng, np.full(n, 16.0 * HOUR), 1.2)
    after_reply = clock.snap_to_business(pending_end + _lognormal(rng, np.full(n, HOUR), 1.0), rng)
    put("pending", pending_start, pending)
    put("pending_answer", pending_end, pending & has_replies)
    put("pending_end", pending_end + 5, pending)
    put("after_pending_reply", after_reply, pending & has_replies)
    last = np.where(pending, np.where(has_replies, after_reply, pending_end + 5), last)

    on_hold = complex_ticket & (rng.random(n) < 0.08)
    hold_start = last + rng.integers(60, 900, n)
    hold_end = hold_start + _lognormal(rng, np.full(n, 24.0 * HOUR), 1.0)
    put("on_hold", hold_start, on_hold)
    put("on_hold_end", hold_end, on_hold)
    last = np.where(on_hold, hold_end, last)

    resolve_median = np.array([4.0, 12.0, 20 * 24.0, 1.0])[ticket_type] * HOUR
    resolved_first = np.where(
        one_touch,
        first_reply + rng.integers(30, 300, n),
        np.where(
            live_quick,
            created + _lognormal(rng, np.full(n, 12.0 * 60), 0.6),
            clock.snap_to_business(last + _lognormal(rng, resolve_median, 1.2), rng),
        ),
    )
    resolved_first = np.maximum(resolved_first, last + 1)
    put("resolve_first", resolved_first, normal)
    put(
        "note_before_resolution",
        resolved_first - rng.integers(5, 60, n),
        normal & (rng.random(n) < 0.4) & (resolved_first - 60 > last),
    )

    reopened = normal & (ticket_type != 2) & (rng.random(n) < 0.07)
    substantive = reopened & has_replies & (rng.random(n) < 0.75)
    reopen_at = resolved_first + _lognormal(rng, np.full(n, 20.0 * HOUR), 1.0)
    reopen_reply = clock.snap_to_business(reopen_at + _lognormal(rng, np.full(n, HOUR), 1.0), rng)
    resolved_again = np.where(
        substantive,
        reopen_reply + _lognormal(rng, np.full(n, 2.0 * HOUR), 1.0),
        reopen_at + _lognormal(rng, np.full(n, 1.0 * HOUR), 1.0),
    )
    put("reopen_message", reopen_at - 5, reopened)
    put("reopen", reopen_at, reopened)
    put("reopen_reply", reopen_reply, substantive)
    put("resolve_again", resolved_again, reopened)
    final_resolution = np.where(reopened, resolved_again, resolved_first)
    # a requester's "thanks" after the last resolution: a message, not a reopen
    put(
        "thanks",
        final_resolution + rng.integers(300, 4 * HOUR, n),
        normal & has_replies & (rng.random(n) < 0.3),
    )

    put("cancel", created + _lognormal(rng, np.full(n, 3.0 * HOUR), 1.0), cancelled)
    put(
        "close",
        np.where(
            normal,
            final_resolution + 5 * DAY,
            created + rng.integers(600, 7200, n),
        ),
        normal | is_spam | merged,
    )

    # spam and merged tickets go straight to closed: their close slot moves from "resolved"
    spam_or_merged = is_spam | merged
    merged_into = np.where(merged, np.maximum(0, np.arange(n) - rng.integers(1, 10, n)), -1)

    # follow-up tickets: a requester writing again a few days after an earlier ticket
    followup = normal & requester_origin & (rng.random(n) < 0.01)
    lookback = np.searchsorted(created, created - rng.integers(3 * DAY, 8 * DAY, n))
    followup_of = np.where(followup & (lookback < np.arange(n)), lookback, -1)

    problems = np.flatnonzero(ticket_type == 2)
    problem_of = np.full(n, -1, dtype=np.int64)
    if len(problems):
        linked = (ticket_type == 0) & (rng.random(n) < 0.05)
        candidate = problems[rng.integers(0, len(problems), n)]
        problem_of = np.where(linked & (candidate < np.arange(n)), candidate, -1)

    team_sizes = np.array([len(team) for team in agents_by_team])
    team_starts = np.array([team[0] for team in agents_by_team])
    assignee = team_starts[final_team] + rng.integers(0, 1 << 30, n) % team_sizes[final_team]

    slot_ids, ticket_ids = np.nonzero(mask)
    event_time = times[slot_ids, ticket_ids]
    return TicketArrays(
        created=created,
        ticket_type=ticket_type,
        requester_is_employee=is_employee,
        requester_index=requester_index,
        channel=channel,
        priority=priority,
        category=category,
        service=service,
        origin=origin,
        initial_team=initial_team,
        reassigned_team=reassigned_team,
        final_team=final_team,
        is_spam=is_spam,
        merged_into=np.where(spam_or_merged & merged, merged_into, -1),
        followup_of=followup_of,
        problem_of=problem_of,
        assignee=assignee,
        event_ticket=ticket_ids.astype(np.int64),
        event_slot=slot_ids.astype(np.int16),
        event_time=event_time,
    )
