"""Great Expectations suites on the staging and fact tables, run on data pulled from DuckDB.

GX 1.x cannot validate DuckDB through duckdb-engine (every expectation raises IndexError: GX
reads results after the pooled connection was closed). This layer keeps GX away from
SQLAlchemy: each suite names a query, the query runs on one read-only DuckDB connection, and
GX validates the resulting pandas DataFrame through a pandas data source. Each suite is
attached to the dbt node it checks, so a failing error-level suite withholds exactly the KPIs
downstream of that node (see nyckeltal.gate). A suite with a `day_column` is period-scoped:
each row is a day, and a failure names the days of its failing rows, so only the KPI rows whose
periods overlap those days are withheld (a failing row without a day withholds every period).
Suites of phase "status" check the status model itself and run after it is built.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from nyckeltal.ingest.contract import TABLES

logger = logging.getLogger(__name__)

# a failing structural check withholds every period downstream; a period-scoped one only the
# periods overlapping its failing days
STRUCTURAL = "structural"
PERIOD = "period"


@dataclass(frozen=True)
class Suite:
    name: str
    node: str  # the dbt node whose descendants a failure withholds
    query: str
    expectations: Callable[[], list[Any]]
    severity: str = "error"
    day_column: str | None = None
    phase: str = "build"  # build: before the status model; status: on it

    @property
    def scope(self) -> str:
        return PERIOD if self.day_column else STRUCTURAL


@dataclass
class SuiteOutcome:
    name: str
    node: str
    severity: str
    success: bool
    failed_expectations: list[str] = field(default_factory=list)
    evaluated: int = 0
    scope: str = STRUCTURAL
    failing_days: list[date | None] = field(default_factory=list)


@dataclass
class ExpectationReport:
    success: bool
    outcomes: list[SuiteOutcome]
    data_docs_index: Path | None

    def combined(self, later: ExpectationReport) -> ExpectationReport:
        """This report followed by a later one of the same run (the same Data Docs site)."""
        return ExpectationReport(
            success=self.success and later.success,
            outcomes=[*self.outcomes, *later.outcomes],
            data_docs_index=later.data_docs_index or self.data_docs_index,
        )

    @property
    def passed(self) -> int:
        return sum(
            outcome.evaluated - len(outcome.failed_expectations) for outcome in self.outcomes
        )

    @property
    def failed(self) -> int:
        return sum(len(outcome.failed_expectations) for outcome in self.outcomes)


def _model(name: str) -> str:
    return f"model.nyckeltal.{name}"


def default_suites() -> list[Suite]:
    import great_expectations.expectations as gxe

    def tickets() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToNotBeNull(column="ticket_id"),
            gxe.ExpectColumnValuesToBeUnique(column="ticket_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="created_at"),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="resolved_at",
                column_B="created_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="priority", value_set=["critical", "high", "medium", "low"]
            ),
        ]

    def ticket_fact() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToBeUnique(column="ticket_id"),
            gxe.ExpectColumnValuesToBeBetween(column="first_response_business_hours", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="resolution_calendar_hours", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="net_resolution_business_hours", min_value=0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="last_resolved_at",
                column_B="first_resolved_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
        ]

    def working_days() -> list[Any]:
        return [gxe.ExpectColumnValuesToBeBetween(column="active_ticket_count", min_value=1)]

    def events() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToBeBetween(
                column="events_per_ticket", min_value=1, max_value=200
            ),
            gxe.ExpectColumnValuesToBeBetween(column="orphan_share", min_value=0, max_value=0.01),
        ]

    def update_order() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToBeBetween(
                column="out_of_order_share", min_value=0, max_value=0.01
            )
        ]

    def quarantine_share() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToBeBetween(
                column="quarantined_share", min_value=0, max_value=0.05
            )
        ]

    def kpi_rows() -> list[Any]:
        return [
            gxe.ExpectColumnValuesToBeInSet(
                column="status", value_set=["published", "provisional", "withheld"]
            ),
            # every value that reaches readers is finite and inside its catalogue range
            gxe.ExpectColumnValuesToBeInSet(column="is_out_of_range", value_set=[False]),
        ]

    suites = [
        Suite(
            "stg_tickets",
            _model("stg_contract__tickets"),
            "select ticket_id, priority, created_at, resolved_at"
            " from staging.stg_contract__tickets where quarantine_reason is null",
            tickets,
        ),
        Suite(
            "fct_tickets",
            _model("fct_tickets"),
            "select ticket_id, first_response_business_hours, resolution_calendar_hours,"
            " net_resolution_business_hours, first_resolved_at, last_resolved_at"
            " from marts.fct_tickets",
            ticket_fact,
        ),
        Suite(
            # a gap in the feed: empty working days where the desk is busy around them
            # (quality_ticket_activity judges each day against its own surroundings)
            "ticket_working_days",
            _model("fct_tickets"),
            "select date_day, active_ticket_count from marts.quality_ticket_activity"
            " where is_judged",
            working_days,
            day_column="date_day",
        ),
        Suite(
            "ticket_events",
            _model("int_ticket_events_checked"),
            """
            select
                count(*) filter (where quarantine_reason is null) / greatest(
                    count(distinct ticket_id) filter (where quarantine_reason is null), 1
                ) as events_per_ticket,
                count(*) filter (where quarantine_reason like 'orphan%')
                    / greatest(count(*), 1) as orphan_share
            from intermediate.int_ticket_events_checked
            having count(*) > 0
            """,
            events,
        ),
        Suite(
            # an audit log whose sys_mod_count runs against its update times is corrupt: the
            # current state and the status history would be wrong
            "servicenow_update_order",
            _model("int_servicenow_updates_sequenced"),
            """
            with ordered as (
                select
                    sys_updated_at,
                    lag(sys_updated_at) over (
                        partition by ticket_id order by update_number
                    ) as previous_updated_at
                from intermediate.int_servicenow_updates_sequenced
                where export_shape = 'audit_log'
            )
            select
                count(*) filter (where sys_updated_at < previous_updated_at)
                    / count(*) as out_of_order_share
            from ordered
            having count(*) > 0
            """,
            update_order,
        ),
        Suite(
            "kpi_values",
            _model("kpi_values"),
            """
            select
                kpi_values.status,
                kpi_values.value is not null and (
                    not isfinite(kpi_values.value)
                    or kpi_values.value < coalesce(kpi_catalog.value_min, kpi_values.value)
                    or kpi_values.value > coalesce(kpi_catalog.value_max, kpi_values.value)
                ) as is_out_of_range
            from marts.kpi_values
            inner join reference.kpi_catalog on kpi_values.kpi_id = kpi_catalog.kpi_id
            """,
            kpi_rows,
            phase="status",
        ),
    ]
    for table in TABLES:
        model = table.checked_model
        # each month of an event table on its own (months with fewer than 20 rows are too
        # small to judge), expanded to its days; undated rows as a whole (day NULL)
        suites.append(
            Suite(
                f"quarantine_share__{table.name}",
                _model(model),
                f"""
                select
                    cast(unnest(case
                        when period_start is null then [null]
                        else generate_series(
                            period_start, period_start + interval 1 month - interval 1 day,
                            interval 1 day
                        )
                    end) as date) as day,
                    quarantined_row_count / rows_in as quarantined_share
                from marts.quality_quarantine_by_period
                where source_table = '{table.name}'
                    and rows_in >= case when period_start is null then 1 else 20 end
                """,
                quarantine_share,
                day_column="day",
            )
        )
    return suites


def _failing_days(result: dict, day_column: str | None) -> set[date | None]:
    """The days of a period-scoped expectation's failing rows (NULL: an undated row)."""
    if not day_column:
        return set()
    import pandas as pd

    days = set()
    for row in result.get("unexpected_index_list") or []:
        value = row.get(day_column) if isinstance(row, dict) else None
        if value is None or pd.isna(value):
            days.add(None)
        else:
            days.add(value.date() if hasattr(value, "date") and callable(value.date) else value)
    return days


def run_expectations(
    build_path: Path,
    gx_dir: Path,
    suites: list[Suite] | None = None,
    phase: str | None = None,
) -> ExpectationReport:
    """Validate every suite (of one phase, if given); build the Data Docs site; never raise on
    a failed expectation."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    suites = default_suites() if suites is None else suites
    if phase is not None:
        suites = [suite for suite in suites if suite.phase == phase]
    gx_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("nyckeltal")
    outcomes = []
    with duckdb.connect(str(build_path), read_only=True) as con:
        for suite in suites:
            frame = con.execute(suite.query).df()
            asset_name = f"{suite.name}_data"
            for existing in list(source.assets):
                if existing.name == asset_name:
                    source.delete_asset(asset_name)
            asset = source.add_dataframe_asset(asset_name)
            batch_definition = asset.add_batch_definition_whole_dataframe("all_rows")
            expectation_suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite.name))
            for expectation in suite.expectations():
                expectation_suite.add_expectation(expectation)
            validation = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(
                    name=suite.name, data=batch_definition, suite=expectation_suite
                )
            )
            checkpoint = context.checkpoints.add_or_update(
                gx.Checkpoint(
                    name=f"{suite.name}_checkpoint",
                    validation_definitions=[validation],
                    actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
                    result_format=(
                        {
                            "result_format": "COMPLETE",
                            "unexpected_index_column_names": [suite.day_column],
                        }
                        if suite.day_column
                        else "SUMMARY"
                    ),
                )
            )
            # GX has no action that stops a pipeline: read CheckpointResult.success ourselves
            result = checkpoint.run(batch_parameters={"dataframe": frame})
            failed, evaluated, days = [], 0, set()
            for validation_result in result.run_results.values():
                for item in validation_result.results:
                    evaluated += 1
                    if not item.success:
                        days.update(_failing_days(item.result, suite.day_column))
                        column = item.expectation_config.kwargs.get(
                            "column"
                        ) or item.expectation_config.kwargs.get("column_A", "")
                        failed.append(f"{item.expectation_config.type}({column})")
            outcomes.append(
                SuiteOutcome(
                    suite.name,
                    suite.node,
                    suite.severity,
                    result.success,
                    failed,
                    evaluated,
                    suite.scope,
                    sorted(days, key=lambda day: (day is not None, day)),
                )
            )
            if not result.success:
                logger.warning("expectation suite %s failed: %s", suite.name, ", ".join(failed))
    sites = context.get_docs_sites_urls()
    index = Path(sites[0]["site_url"].removeprefix("file://")) if sites else None
    return ExpectationReport(
        success=all(outcome.success for outcome in outcomes if outcome.severity == "error"),
        outcomes=outcomes,
        data_docs_index=index,
    )
