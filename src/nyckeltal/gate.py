"""Lineage: which KPIs a failed check withholds, read from dbt's manifest."""

from __future__ import annotations

from collections import deque

from nyckeltal.dbt import NodeResult
from nyckeltal.publish import LineageWithholding

KPI_MODEL_PREFIX = "model.nyckeltal.fct_kpi_"
ALL_KPI_MODELS = ("model.nyckeltal.fct_kpi_values", "model.nyckeltal.kpi_values")
FAILED = {"fail", "error"}
# models that read every source only for metadata (period range, watermarks, row counts): a
# bad row in one source does not make the KPIs of other sources wrong, so lineage stops here
LINEAGE_BARRIERS = frozenset(
    f"model.nyckeltal.{name}"
    for name in (
        "int_source_watermarks",
        "int_quarantined_rows",
        "quality_row_accounting",
        "quality_quarantine_summary",
        "quality_source_completeness",
    )
)


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
    KPI rows withholds every KPI."""
    if any(node in ALL_KPI_MODELS for node in tested):
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


def lineage_withholding(
    manifest: dict, results: list[NodeResult], all_kpi_ids: list[str]
) -> LineageWithholding:
    withholding = LineageWithholding()
    for result in results:
        if result.status not in FAILED:
            continue
        if not result.unique_id.startswith(("test.", "unit_test.")):
            continue
        tested = tested_nodes(manifest, result.unique_id)
        affected = descendants(manifest, tested)
        name = (
            result.unique_id.split(".")[2] if result.unique_id.count(".") >= 2 else result.unique_id
        )
        for kpi_id in kpi_ids_of(tested, affected, all_kpi_ids):
            withholding.add(kpi_id, f"check {name} failed")
    return withholding


def add_expectation_withholding(
    withholding: LineageWithholding,
    manifest: dict,
    failed_suites: list[tuple[str, str, list[str]]],
    all_kpi_ids: list[str],
) -> None:
    """Withhold the KPIs downstream of each failed error-level expectation suite.

    failed_suites: (suite name, dbt node it checks, failed expectations).
    """
    for suite, node, expectations in failed_suites:
        affected = descendants(manifest, [node])
        detail = ", ".join(expectations) if expectations else "failed"
        for kpi_id in kpi_ids_of([node], affected, all_kpi_ids):
            withholding.add(kpi_id, f"expectation suite {suite} failed: {detail}")
