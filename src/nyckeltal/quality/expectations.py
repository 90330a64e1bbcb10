"""Great Expectations suites on the staging and fact tables, run on data pulled from DuckDB.

GX 1.x cannot validate DuckDB through duckdb-engine (every expectation raises IndexError: GX
reads results after the pooled connection was closed). This layer keeps GX away from
SQLAlchemy: each suite names a query, the query runs on one read-only DuckDB connection, and
GX validates the resulting pandas DataFrame through a pandas data source. Each suite is
attached to the dbt node it checks, so a failing error-level suite withholds exactly the KPIs
downstream of that node (see nyckeltal.gate).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suite:
    name: str
    node: str  # the dbt node whose descendants a failure withholds
    query: str
    expectations: Callable[[], list[Any]]
    severity: str = "error"


@dataclass
class SuiteOutcome:
    name: str
    node: str
    severity: str
    success: bool
    failed_expectations: list[str] = field(default_factory=list)
    evaluated: int = 0


@dataclass
class ExpectationReport:
    success: bool
    outcomes: list[SuiteOutcome]
    data_docs_index: Path | None

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
        # a silently broken source: a working day inside the data with no ticket at all
        return [gxe.ExpectColumnValuesToBeBetween(column="ticket_count", min_value=1)]

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
            "ticket_working_days",
            _model("fct_tickets"),
            """
            with bounds as (
                select min(created_date) as first_day, max(created_date) as last_day
                from marts.fct_tickets
            ),
            per_day as (
                select dim_dates.date_day, count(fct_tickets.ticket_id) as ticket_count
                from marts.dim_dates
                cross join bounds
                left join marts.fct_tickets on fct_tickets.created_date = dim_dates.date_day
                where dim_dates.is_business_day
                    and dim_dates.date_day between bounds.first_day and bounds.last_day
                group by 1
            )
            -- quiet days are normal for a small desk: the check applies from 20 tickets a working
            -- day on average, where a day without any (Poisson, e^-20) means a broken feed
            select * from per_day
            qualify avg(ticket_count) over () >= 20
            """,
            working_days,
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
        ),
    ]
    from nyckeltal.contract import TABLES

    for table in TABLES:
        model = (
            "int_ticket_events_checked"
            if table.name == "ticket_events"
            else "int_survey_responses_checked"
            if table.name == "survey_responses"
            else f"stg_contract__{table.name}"
        )
        suites.append(
            Suite(
                f"quarantine_share__{table.name}",
                _model(model),
                f"""
                select source_table,
                    quarantined_row_count / greatest(rows_in, 1) as quarantined_share
                from marts.quality_row_accounting
                where source_table = '{table.name}' and rows_in > 0
                """,
                quarantine_share,
            )
        )
    return suites


def run_expectations(
    build_path: Path,
    gx_dir: Path,
    suites: list[Suite] | None = None,
) -> ExpectationReport:
    """Validate every suite; build the Data Docs site; never raise on a failed expectation."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    suites = default_suites() if suites is None else suites
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
                )
            )
            # GX has no action that stops a pipeline: read CheckpointResult.success ourselves
            result = checkpoint.run(batch_parameters={"dataframe": frame})
            failed, evaluated = [], 0
            for validation_result in result.run_results.values():
                for item in validation_result.results:
                    evaluated += 1
                    if not item.success:
                        column = item.expectation_config.kwargs.get(
                            "column"
                        ) or item.expectation_config.kwargs.get("column_A", "")
                        failed.append(f"{item.expectation_config.type}({column})")
            outcomes.append(
                SuiteOutcome(
                    suite.name, suite.node, suite.severity, result.success, failed, evaluated
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
