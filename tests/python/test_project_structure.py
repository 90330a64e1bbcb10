"""dbt-project-evaluator's rules, checked on the manifest of the session's build."""

from __future__ import annotations

import json
import re

import pytest

# deliberate unions and the published contract read many models (see their descriptions)
MANY_PARENTS_ALLOWED = {
    "fct_kpi_values",
    # the units of every itemised KPI, from the facts they are counted in (kpi_units)
    "fct_kpi_units",
    "int_quarantined_rows",
    "int_landed_rows_counted",
    "fct_tickets",
    "int_source_watermarks",
}


@pytest.fixture(scope="module")
def manifest(warehouse) -> dict:
    path = warehouse.settings.target_dir / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _models(manifest: dict) -> dict[str, dict]:
    return {
        node_id: node
        for node_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "nyckeltal"
    }


def test_every_model_has_a_description(manifest):
    missing = [node["name"] for node in _models(manifest).values() if not node["description"]]
    assert missing == []


def test_staging_reads_only_sources_and_seeds_and_nothing_else_reads_sources(manifest):
    for node in _models(manifest).values():
        parents = node["depends_on"]["nodes"]
        reads_source = any(parent.startswith("source.") for parent in parents)
        if node["name"].startswith("stg_"):
            assert all(p.startswith(("source.", "seed.")) for p in parents), node["name"]
        else:
            assert not reads_source, node["name"]


def test_model_prefixes_match_their_folders(manifest):
    for node in _models(manifest).values():
        folder = node["original_file_path"].split("/")[1]
        name = node["name"]
        if folder == "staging":
            assert name.startswith("stg_"), name
        elif folder == "intermediate":
            assert name.startswith("int_"), name
        else:
            assert name.startswith(("fct_", "dim_", "mart_", "kpi_", "quality_")), name


def test_every_model_has_its_key_tested(manifest):
    tested: set[str] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        test_name = (node.get("test_metadata") or {}).get("name")
        if test_name in {"unique", "unique_combination_of_columns"}:
            tested.update(node["depends_on"]["nodes"])
    untested = [
        node["name"]
        for node_id, node in _models(manifest).items()
        if node_id not in tested and node["name"] != "int_quarantined_rows"
    ]
    assert untested == []


def test_few_models_have_many_parents(manifest):
    crowded = [
        node["name"]
        for node in _models(manifest).values()
        if len(node["depends_on"]["nodes"]) >= 7 and node["name"] not in MANY_PARENTS_ALLOWED
    ]
    assert crowded == []


def test_incremental_models_read_no_landed_table_the_pipeline_does_not_watch(manifest):
    """A ticket-grain model built incrementally may read tickets, events and the tables in
    TICKET_REFERENCE_TABLES (whose new deliveries make the build full): found by walking its
    parents, past the source watermarks (read for tickets and events alone) and the load
    manifest (only its time stamp)."""
    from nyckeltal.pipeline import TICKET_REFERENCE_TABLES

    nodes = {**manifest["nodes"], **manifest["sources"]}
    incremental = [
        node_id
        for node_id, node in _models(manifest).items()
        if node["config"]["materialized"] == "incremental"
    ]
    assert len(incremental) >= 9
    skipped = {
        "model.nyckeltal.int_source_watermarks",
        "model.nyckeltal.stg_contract__load_manifest",
    }
    seen: set[str] = set()
    stack = list(incremental)
    while stack:
        for parent in nodes[stack.pop()].get("depends_on", {}).get("nodes", []):
            if parent not in seen and parent not in skipped:
                seen.add(parent)
                stack.append(parent)
    landed = {nodes[node]["name"] for node in seen if node.startswith("source.nyckeltal.landing")}
    allowed = {"tickets", "ticket_events", "_load_manifest", *TICKET_REFERENCE_TABLES}
    assert landed <= allowed, landed


CLOCK = re.compile(r"\b(current_date|current_timestamp|now\(\)|today\(\)|run_started_at)", re.I)
# judged once, when a row is staged: a time stamp more than var plausible_years_ahead after
# the run that staged it is implausible (a horizon of years; a day later it is no different)
CLOCK_EXEMPT = {"macro.nyckeltal.plausibility_checks"}


def test_models_that_read_the_clock_are_tagged_clock(manifest):
    """An incremental build reruns tag:clock+ (pipeline.incremental_selection): a model whose
    result depends on when it runs (as_of_timestamp, current_date, now()) must carry the tag,
    or it would keep yesterday's answer."""
    macros = manifest["macros"]

    def reads_clock(macro_id: str, seen: set[str]) -> bool:
        macro = macros.get(macro_id)
        if macro is None or macro_id in seen or macro_id in CLOCK_EXEMPT:
            return False
        seen.add(macro_id)
        return bool(CLOCK.search(macro["macro_sql"])) or any(
            reads_clock(used, seen) for used in macro["depends_on"]["macros"]
        )

    untagged = [
        node["name"]
        for node in _models(manifest).values()
        if (
            CLOCK.search(node["raw_code"])
            or any(reads_clock(used, set()) for used in node["depends_on"]["macros"])
        )
        and "clock" not in node["tags"]
    ]
    assert untagged == []
    tagged = [node["name"] for node in _models(manifest).values() if "clock" in node["tags"]]
    assert "int_kpi_period_checks" in tagged
