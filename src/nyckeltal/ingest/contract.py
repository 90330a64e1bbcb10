"""The raw data contract (v1): tables and columns a landing folder may hold.

Each table lists its columns in contract order; required columns must be present in a
file's header, optional ones are added as NULL when a file omits them.  The loader keeps
only these columns, so the raw tables always have the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    is_reference: bool = False
    is_optional_table: bool = False

    @property
    def date_columns(self) -> tuple[str, ...]:
        """Columns holding a date or a timestamp (by the contract's naming: `_at`, `_date`,
        `valid_from`/`valid_to`, `active_from`/`active_to`, `month`); times of day excluded."""
        return tuple(
            column
            for column in self.columns
            if column.endswith(("_at", "_date", "_from", "_to", "month"))
            and column not in ("opens_at", "closes_at")
        )


def _t(
    name: str,
    columns: str,
    optional: str = "",
    *,
    reference: bool = False,
    optional_table: bool = False,
) -> Table:
    return Table(
        name=name,
        columns=tuple(columns.split()),
        optional=frozenset(optional.split()),
        is_reference=reference,
        is_optional_table=optional_table,
    )


TABLES: tuple[Table, ...] = (
    _t(
        "tickets",
        "ticket_id ticket_type requester_type requester_id channel priority category service_id"
        " team_id assignee_id status created_at resolved_at closed_at problem_id"
        " caused_by_change_id merged_into_ticket_id origin is_spam followup_of_ticket_id",
        "category service_id assignee_id resolved_at closed_at problem_id caused_by_change_id"
        " merged_into_ticket_id origin is_spam followup_of_ticket_id",
    ),
    _t(
        "ticket_events",
        "event_id ticket_id occurred_at event_type actor_type actor_id is_public from_value"
        " to_value",
        "actor_id is_public from_value to_value",
    ),
    _t(
        "sla_policies",
        "policy_id ticket_type priority metric target_minutes calendar_id pause_statuses"
        " valid_from valid_to",
        "pause_statuses valid_to",
        reference=True,
    ),
    _t(
        "business_hours",
        "calendar_id timezone weekday opens_at closes_at",
        reference=True,
    ),
    _t("holidays", "calendar_id holiday_date name", "name", reference=True),
    _t("teams", "team_id team_name function tier", reference=True),
    _t("agents", "agent_id employee_id team_id active_from active_to", "employee_id active_to"),
    _t(
        "services",
        "service_id service_name audience criticality",
        "criticality",
        optional_table=True,
    ),
    _t(
        "support_costs",
        "month team_id cost_amount currency",
        optional_table=True,
    ),
    _t(
        "changes",
        "change_id service_id change_type requested_at implemented_at outcome",
        "service_id implemented_at",
        optional_table=True,
    ),
    _t(
        "service_outages",
        "outage_id service_id started_at ended_at is_planned",
        "ended_at",
        optional_table=True,
    ),
    _t(
        "service_usage",
        "usage_date service_id user_type user_id sessions",
        optional_table=True,
    ),
    _t(
        "survey_responses",
        "response_id survey_type respondent_type respondent_id ticket_id responded_at score"
        " scale_min scale_max question_id",
        "ticket_id scale_min scale_max question_id",
    ),
    _t(
        "employees",
        "employee_id department location job_family hire_date termination_date termination_reason",
        "job_family termination_date termination_reason",
    ),
    _t("customers", "customer_id segment country acquired_at churned_at", "churned_at"),
    _t(
        "customer_revenue",
        "invoice_id customer_id invoice_date revenue_amount gross_margin_amount currency",
        "gross_margin_amount",
        optional_table=True,
    ),
    _t(
        "self_service_sessions",
        "session_id requester_type requester_id started_at article_id feedback",
        "requester_id article_id feedback",
        optional_table=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

LINEAGE_COLUMNS: tuple[str, ...] = ("_row_number", "_source_file", "_loaded_at")
