"""The run's check results, as a table the status model reads.

Every dbt test, unit test and expectation suite of the run becomes rows of
`checks.check_results` in the build database: one row per check, KPI it covers (the KPIs
downstream of the node it checks, read from dbt's manifest) and failing day. A check is
*structural* (keys, relationships, unit tests, an export's update order: a failure withholds
every period of the KPIs downstream) or *period-scoped* (volume plausibility, quarantine share
per period: a failure names the days, and withholds only the rows whose periods overlap them).
The status of each `kpi_values` row is then decided once, in SQL (models/intermediate/kpi/ and
models/marts/kpi/kpi_values.sql, via quality_kpi_check_failures); nothing rewrites rows afterwards.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from nyckeltal.dbt import NodeResult
from nyckeltal.quality.expectations import STRUCTURAL

KPI_MODEL_PREFIX = "model.nyckeltal.fct_kpi_"
ALL_KPI_MODELS = ("model.nyckeltal.fct_kpi_values", "model.nyckeltal.kpi_values")
# the steps between them (int_kpi_*: thresholds, period checks, reasons, privacy) hold rows of
# every KPI too: a check on one covers every KPI
ALL_KPI_STEP_PREFIX = "model.nyckeltal.int_kpi_"
FAILED = {"fail", "error"}
# the table the Python side writes and the status models read (source `checks`)
CHECK_RESULTS_SCHEMA = "checks"
CHECK_RESULTS_TABLE = "check_results"
# models that read every source only for metadata (period range, watermarks, row counts): a
# bad row in one source does not make the KPIs of other sources wrong, so lineage stops here
LINEAGE_BARRIERS = frozenset(
    f"model.nyckeltal.{name}"
    for name in (
        "int_source_watermarks",
        "int_quarantined_rows",
        "int_landed_rows_counted",
        "quality_row_accounting",
        "quality_quarantine_summary",
        "quality_quarantine_by_period",
        "quality_source_completeness",
        "quality_ticket_activity",
    )
)


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    check_name: str
    kind: str  # dbt_test | unit_test | expectation_suite
    scope: str  # structural | period
    status: str  # pass | warn | fail | error | skipped
    kpi_ids: frozenset[str]
    failing_days: tuple[date, ...] = ()
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in FAILED


def descendants(manifest: dict, start: list[str]) -> set[str]:
    children = manifest.get("child_map", {})
    seen = set(start)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for child in children.get(node, []):
            if child in LINEAGE_BARRIERS:
                continue
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen


def kpi_ids_of(tested: list[str], nodes: set[str], all_kpi_ids: list[str]) -> set[str]:
    """KPI ids whose model descends from (or is) a tested node; a check on the union of all
    KPI rows covers every KPI."""
    if any(node in ALL_KPI_MODELS or node.startswith(ALL_KPI_STEP_PREFIX) for node in tested):
        return set(all_kpi_ids)
    found = set()
    for node in nodes:
        if node.startswith(KPI_MODEL_PREFIX) and node not in ALL_KPI_MODELS:
            found.add(node[len(KPI_MODEL_PREFIX) :])
    return found & set(all_kpi_ids) if all_kpi_ids else found


def tested_nodes(manifest: dict, test_id: str) -> list[str]:
    node = manifest.get("nodes", {}).get(test_id) or manifest.get("unit_tests", {}).get(test_id)
    if node is None:
        return []
    depends = node.get("depends_on", {}).get("nodes", [])
    attached = node.get("attached_node")
    models = [item for item in depends if item.startswith(("model.", "seed.", "snapshot."))]
    if attached and attached not in models:
        models.append(attached)
    return models


def _short_name(unique_id: str) -> str:
    """test.<project>.<name>.<hash> -> name; unit_test.<project>.<model>.<name> -> model.name"""
    parts = unique_id.split(".")
    if parts[0] == "unit_test" and len(parts) >= 4:
        return f"{parts[2]}.{parts[3]}"
    return parts[2] if len(parts) >= 3 else unique_id


def dbt_check_results(
    manifest: dict, results: list[NodeResult], all_kpi_ids: list[str]
) -> list[CheckResult]:
    """Every dbt data and unit test of the run; all are structural."""
    checks = []
    for result in results:
        if not result.unique_id.startswith(("test.", "unit_test.")):
            continue
        tested = tested_nodes(manifest, result.unique_id)
        covered = kpi_ids_of(tested, descendants(manifest, tested), all_kpi_ids)
        checks.append(
            CheckResult(
                check_id=result.unique_id,
                check_name=_short_name(result.unique_id),
                kind="unit_test" if result.unique_id.startswith("unit_test.") else "dbt_test",
                scope=STRUCTURAL,
                status=result.status,
                kpi_ids=frozenset(covered),
                detail=(result.message or "") if result.status in FAILED else "",
            )
        )
    return checks


def expectation_check_results(
    manifest: dict, outcomes: list, all_kpi_ids: list[str]
) -> list[CheckResult]:
    """Every expectation suite of the run (outcomes: SuiteOutcome). A warn-level suite that
    failed is recorded as `warn` and withholds nothing."""
    checks = []
    for outcome in outcomes:
        covered = kpi_ids_of([outcome.node], descendants(manifest, [outcome.node]), all_kpi_ids)
        failed_status = "fail" if outcome.severity == "error" else "warn"
        status = "pass" if outcome.success else failed_status
        checks.append(
            CheckResult(
                check_id=f"expectation_suite.{outcome.name}",
                check_name=outcome.name,
                kind="expectation_suite",
                scope=outcome.scope,
                status=status,
                kpi_ids=frozenset(covered),
                failing_days=tuple(outcome.failing_days),
                detail=", ".join(outcome.failed_expectations),
            )
        )
    return checks


def withheld_kpis(checks: list[CheckResult]) -> dict[str, list[str]]:
    """KPI id -> the failed checks that withhold (some or all of) its rows."""
    found: dict[str, list[str]] = {}
    for check in checks:
        if not check.failed:
            continue
        for kpi_id in sorted(check.kpi_ids):
            found.setdefault(kpi_id, []).append(check.check_name)
    return found


def write_check_results(build_path: Path, checks: list[CheckResult]) -> None:
    """Replace checks.check_results in the build database."""
    rows = []
    for check in checks:
        days: list[date | None] = list(check.failing_days) if check.failed else []
        for kpi_id in sorted(check.kpi_ids) or [None]:
            for day in days or [None]:
                rows.append(
                    (
                        check.check_id,
                        check.check_name,
                        check.kind,
                        check.scope,
                        check.status,
                        kpi_id,
                        day,
                        check.detail[:2000],
                    )
                )
    with duckdb.connect(str(build_path)) as con:
        con.execute(f"create schema if not exists {CHECK_RESULTS_SCHEMA}")
        con.execute(
            f"""
            create or replace table {CHECK_RESULTS_SCHEMA}.{CHECK_RESULTS_TABLE} (
                check_id varchar not null,
                check_name varchar not null,
                check_kind varchar not null,
                check_scope varchar not null,
                check_status varchar not null,
                kpi_id varchar,
                failing_day date,
                detail varchar
            )
            """
        )
        if rows:
            con.executemany(
                f"insert into {CHECK_RESULTS_SCHEMA}.{CHECK_RESULTS_TABLE}"
                " values (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
