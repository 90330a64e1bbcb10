"""`nyckeltal run`: land, build, check, publish; on failure the last publication stays."""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from nyckeltal import dbt
from nyckeltal.dashboards import write_dashboards
from nyckeltal.docs_index import (
    clean_docs_leftovers,
    staging_docs_dir,
    swap_in,
    write_docs_index,
)
from nyckeltal.export import clean_parquet_leftovers, export_parquet
from nyckeltal.gate import (
    dbt_check_results,
    expectation_check_results,
    withheld_kpis,
    write_check_results,
)
from nyckeltal.generate import generate_landing
from nyckeltal.ingest import ReadingOptions, landing_has_data, load_landing
from nyckeltal.lock import RunLock
from nyckeltal.publish import PublicationFacts, clean_leftovers, publish
from nyckeltal.quality.expectations import run_expectations
from nyckeltal.settings import Settings
from nyckeltal.shrink import guard_against_shrinking
from nyckeltal.targets import check_target_segments, read_targets

logger = logging.getLogger(__name__)

DEFAULT_SCALE = "small"
DEFAULT_SEED = 20250301

Progress = Callable[[str], None]
# the models that read the run's check results (checks.check_results): built after the checks
STATUS_MODELS = "source:checks+"


def incremental_selection(appended: list[str]) -> list[str]:
    """What an incremental build runs: the models downstream of this load's time stamp (the
    watermarks, the tickets' newly loaded rows), of the tables with new deliveries, of the
    system exports (read again each run) and of the models that read the clock (tag clock).
    The rest read raw tables, seeds and vars that did not change: their tables stand (seeds
    too: an edited seed changes the build's fingerprint, and the build is then full)."""
    return [
        "--select",
        "source:landing._load_manifest+",
        *(f"source:landing.{table}+" for table in appended),
        "source:servicenow+",
        "tag:clock+",
        "--exclude",
        STATUS_MODELS,
    ]


@dataclass
class RunSummary:
    run_id: str
    generated_default: bool
    seconds_by_phase: dict[str, float] = field(default_factory=dict)
    tests_passed: int = 0
    tests_failed: int = 0
    failed_checks: list[str] = field(default_factory=list)
    withheld_by_lineage: dict[str, list[str]] = field(default_factory=dict)
    expectations_passed: int = 0
    expectations_failed: int = 0
    data_docs: Path | None = None
    dbt_docs: Path | None = None
    parquet: Path | None = None
    docs_index: Path | None = None
    dashboards: list[Path] = field(default_factory=list)
    published_counts: dict[str, int] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    landed_rows: int = 0
    # seconds per dbt node (models, seeds, tests) over the run's dbt invocations
    node_seconds: dict[str, float] = field(default_factory=dict)
    # "incremental" (new deliveries on top of the previous build) or "full", and why full
    build_mode: str = "full"
    full_build_reason: str | None = None

    def record(self, results: list[dbt.NodeResult]) -> list[dbt.NodeResult]:
        for node in results:
            self.node_seconds[node.unique_id] = (
                self.node_seconds.get(node.unique_id, 0.0) + node.seconds
            )
        return results

    def slowest_nodes(self, count: int) -> list[tuple[str, float]]:
        ranked = sorted(self.node_seconds.items(), key=lambda item: -item[1])
        return [(name, round(seconds, 3)) for name, seconds in ranked[:count]]


@dataclass(frozen=True)
class BuildState:
    """Beside the build database: the fingerprint it was built with (dbt.build_fingerprint)
    and whether its last build finished. A build that stopped half-way (or a load that changed
    raw tables without a build after it) leaves complete false, and the next run builds whole."""

    fingerprint: str
    complete: bool

    @staticmethod
    def path(settings: Settings) -> Path:
        return settings.build_path.with_name(settings.build_path.stem + ".state.json")

    @classmethod
    def read(cls, settings: Settings) -> BuildState | None:
        try:
            data = json.loads(cls.path(settings).read_text(encoding="utf-8"))
            return cls(str(data["fingerprint"]), bool(data["complete"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, settings: Settings) -> None:
        dbt.write_json_atomically(self.path(settings), self.__dict__)


# tables the ticket-grain models read beside tickets and events (team names, SLA policies,
# calendars): a new delivery of one can change every ticket, so it makes the build full
TICKET_REFERENCE_TABLES = ("teams", "sla_policies", "business_hours", "holidays")


def full_build_reason(settings: Settings, fingerprint: str, full_refresh: bool) -> str | None:
    """Why this run must build everything, or None when new deliveries can be built on top
    of the previous build."""
    if full_refresh:
        return "--full-refresh"
    state = BuildState.read(settings)
    if not settings.build_path.exists() or state is None:
        return "no earlier build"
    if not state.complete:
        return "the previous build did not finish"
    if state.fingerprint != fingerprint:
        return "the project, the versions, the settings or the pseudonym key changed"
    return None


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _kpi_ids(settings: Settings) -> list[str]:
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        return [
            row[0] for row in con.execute("select kpi_id from reference.kpi_catalog").fetchall()
        ]


def _dbt_docs(settings: Settings, docs_dir: Path) -> Path | None:
    """dbt's documentation as one static HTML file beside the GX Data Docs."""
    result = dbt.invoke(settings, ["docs", "generate", "--static"])
    page = settings.target_dir / "static_index.html"
    if result.returncode != 0 or not page.exists():
        logger.warning("dbt docs generate failed: %s", dbt.first_error_line(result.output))
        return None
    target = docs_dir / "dbt" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, target)
    return target


# seeds and models in one dbt process (each process costs seconds of start-up and parsing)
BUILD_SEEDS_AND_MODELS = ["build", "--resource-type", "seed", "--resource-type", "model"]


def _is_check(node: dbt.NodeResult) -> bool:
    return node.unique_id.startswith(("test.", "unit_test."))


def _build(settings: Settings, command: list[str], summary: RunSummary) -> list[dbt.NodeResult]:
    """dbt build; a seed or model that does not build stops the run. Returns the results of
    the checks it ran (failing checks are results, not errors)."""
    result = dbt.invoke(settings, command)
    summary.record(result.results)
    failed = [
        node for node in result.results if node.status in {"error", "fail"} and not _is_check(node)
    ]
    if failed:
        raise dbt.DbtError(f"{failed[0].unique_id}: {failed[0].message}")
    checks = [node for node in result.results if _is_check(node)]
    if result.returncode != 0 and not checks:
        raise dbt.DbtError(f"dbt {command[0]}: {dbt.first_error_line(result.output)}")
    return checks


def _test(settings: Settings, selection: list[str], summary: RunSummary) -> list[dbt.NodeResult]:
    """dbt test; failing tests are results, a dbt that cannot run stops the run."""
    result = dbt.invoke(settings, ["test", *selection])
    if result.returncode != 0 and not result.results:
        raise dbt.DbtError(f"dbt test: {dbt.first_error_line(result.output)}")
    return summary.record(result.results)


def run_pipeline(
    settings: Settings,
    progress: Progress = lambda _message: None,
    summary: RunSummary | None = None,
    full_refresh: bool = False,
) -> RunSummary:
    """One run; pass `summary` to keep what a failed run got through (its phases).
    Incremental unless `full_refresh` or full_build_reason says otherwise: tables whose
    folders only got new deliveries are read and built for those rows (decision 0013)."""
    started = datetime.now(UTC)
    if summary is None:
        summary = RunSummary(run_id=new_run_id(started), generated_default=False)
    with RunLock(settings.warehouse_dir):
        # an edited seed that cannot be used stops the run before anything is touched
        read_targets(settings.project_dir)
        for leftover in clean_leftovers(settings.published_path):
            progress(f"removed leftover {leftover.name} from an interrupted run")
        clean_parquet_leftovers(settings.published_path.parent)
        clean_docs_leftovers(settings.docs_dir)
        clean_docs_leftovers(settings.dashboards_dir)
        # the run's documentation and dashboards wait beside docs/ and dashboards/ until its
        # publication is in place
        run_docs = staging_docs_dir(settings.docs_dir, summary.run_id)
        run_dashboards = staging_docs_dir(settings.dashboards_dir, summary.run_id)
        clock = time.perf_counter()

        if not landing_has_data(settings.landing_dir):
            progress(
                f"landing folder {settings.landing_dir} holds no data: writing the default set"
            )
            generate_landing(
                settings.landing_dir,
                settings.project_dir,
                DEFAULT_SCALE,
                DEFAULT_SEED,
                last_date=settings.data_last_date,
            )
            summary.generated_default = True
            summary.seconds_by_phase["generate"] = time.perf_counter() - clock
            clock = time.perf_counter()

        fingerprint = dbt.build_fingerprint(settings)
        summary.full_build_reason = full_build_reason(settings, fingerprint, full_refresh)
        # from here until the build finishes, the build database is not a sound base
        BuildState(fingerprint, complete=False).write(settings)
        progress(f"loading {settings.landing_dir}")
        landing = load_landing(
            settings.build_path,
            settings.landing_dir,
            started,
            ReadingOptions(
                encoding=settings.landing_encoding,
                date_format=settings.date_format,
                servicenow_date_format=settings.servicenow_date_format,
            ),
            settings.duckdb_config(),
            incremental=summary.full_build_reason is None,
        )
        if summary.full_build_reason is None and landing.reloaded:
            summary.full_build_reason = f"read again: {', '.join(landing.reloaded)}"
        if summary.full_build_reason is None and landing.moved:
            # not read again, but built again: staged rows name the file where it is now
            summary.full_build_reason = f"files moved: {', '.join(landing.moved)}"
        references = [name for name in landing.appended if name in TICKET_REFERENCE_TABLES]
        if summary.full_build_reason is None and references:
            summary.full_build_reason = f"new deliveries of {', '.join(references)}"
        summary.build_mode = "full" if summary.full_build_reason else "incremental"
        for note in landing.notes:
            progress(f"  {'warning' if note.is_warning else 'note'}: {note.message()}")
        loaded = landing.tables
        present = [table for table in loaded if table.source_file]
        summary.landed_rows = sum(table.row_count for table in present)
        progress(
            f"  {len(present)} of {len(loaded)} tables present, "
            f"{sum(table.row_count for table in present):,} rows, "
            f"{sum(table.rejected_count for table in present)} malformed lines"
        )
        summary.seconds_by_phase["load"] = time.perf_counter() - clock
        clock = time.perf_counter()

        progress(
            "building models (dbt build: seeds and models): "
            + (
                f"full ({summary.full_build_reason})"
                if summary.full_build_reason
                else f"incremental (new deliveries: {', '.join(landing.appended) or 'none'})"
            )
        )
        dbt.reset_partial_parse_if_changed(settings.project_dir, settings.target_dir)
        # what the unit tests' outcome depends on, as dbt is about to parse it
        unit_test_key = dbt.unit_test_key(settings)
        # a full build loads the seeds anew (--full-refresh: a column added to a seed just
        # works); an incremental one has the same seeds (they are in the fingerprint)
        if summary.full_build_reason:
            _build(
                settings,
                [*BUILD_SEEDS_AND_MODELS, "--exclude", STATUS_MODELS, "--full-refresh"],
                summary,
            )
        else:
            _build(
                settings,
                [*BUILD_SEEDS_AND_MODELS, *incremental_selection(landing.appended)],
                summary,
            )
        BuildState(fingerprint, complete=True).write(settings)
        check_target_segments(settings.project_dir, settings.build_path)
        if not settings.accept_shrink:
            guard_against_shrinking(
                settings.build_path, settings.published_path, settings.max_quarantined_share
            )
        summary.seconds_by_phase["build"] = time.perf_counter() - clock
        clock = time.perf_counter()

        progress("checking (dbt data and unit tests)")
        # unit tests depend on the project, not on the data: their results are reused while
        # the project, the versions, the vars and the day are the same (dbt.unit_test_key)
        cached = dbt.cached_unit_tests(settings, unit_test_key)
        if cached:
            unit_results, cached_run = cached
            tests = _test(settings, ["--exclude", STATUS_MODELS, "test_type:unit"], summary)
            tests += unit_results
            progress(f"  {len(unit_results)} unit test results reused from run {cached_run}")
        else:
            tests = _test(settings, ["--exclude", STATUS_MODELS], summary)
            dbt.cache_unit_tests(settings, unit_test_key, tests, summary.run_id)
        summary.tests_passed = sum(1 for node in tests if node.status in {"pass", "warn"})
        failed_tests = [node for node in tests if node.status in {"fail", "error"}]
        summary.tests_failed = len(failed_tests)
        summary.failed_checks = [node.unique_id for node in failed_tests]
        manifest = dbt.load_manifest(settings)
        kpi_ids = _kpi_ids(settings)
        checks = dbt_check_results(manifest, tests, kpi_ids)
        progress(f"  {summary.tests_passed} checks passed, {summary.tests_failed} failed")
        summary.seconds_by_phase["check"] = time.perf_counter() - clock
        clock = time.perf_counter()

        progress("validating (Great Expectations)")
        gx_dir = run_docs / "gx"
        report = run_expectations(settings.build_path, gx_dir, settings.suites, phase="build")
        checks += expectation_check_results(manifest, report.outcomes, kpi_ids)
        summary.failed_checks += [
            f"expectation suite {check.check_name}"
            for check in checks
            if check.kind == "expectation_suite" and check.failed
        ]
        progress(
            f"  {report.passed} expectations passed, {report.failed} failed"
            f" in {len(report.outcomes)} suites"
        )
        summary.seconds_by_phase["validate"] = time.perf_counter() - clock
        clock = time.perf_counter()

        # the status of every KPI row is decided once, in SQL, from all of the run's checks
        progress("deciding statuses (kpi_values from the run's checks)")
        write_check_results(settings.build_path, checks)
        summary.withheld_by_lineage = withheld_kpis(checks)
        if summary.withheld_by_lineage:
            progress(
                f"  checks failed upstream of {', '.join(sorted(summary.withheld_by_lineage))}"
            )
        # the status models with their unit tests, then their data tests: one dbt build
        status_tests = _build(settings, ["build", "--select", STATUS_MODELS], summary)
        broken = [node for node in status_tests if node.status in {"fail", "error"}]
        status_report = run_expectations(
            settings.build_path, gx_dir, settings.suites, phase="status"
        )
        report = report.combined(status_report)
        summary.tests_passed += len(status_tests) - len(broken)
        summary.expectations_passed = report.passed
        summary.expectations_failed = report.failed
        summary.data_docs = report.data_docs_index
        if broken or not status_report.success:
            # the published contract itself is broken: nothing is published
            names = [node.unique_id for node in broken] + [
                f"expectation suite {outcome.name}"
                for outcome in status_report.outcomes
                if not outcome.success
            ]
            raise dbt.DbtError(f"the status model failed its checks: {', '.join(names)}")
        summary.seconds_by_phase["status"] = time.perf_counter() - clock
        clock = time.perf_counter()

        progress("documenting (dbt docs generate)")
        summary.dbt_docs = _dbt_docs(settings, run_docs)
        summary.docs_index = write_docs_index(run_docs, summary.run_id, report, summary.dbt_docs)
        summary.seconds_by_phase["docs"] = time.perf_counter() - clock
        clock = time.perf_counter()

        progress(f"publishing {settings.published_path}")
        facts = PublicationFacts(
            run_id=summary.run_id,
            started_at=started,
            tests_passed=summary.tests_passed,
            tests_failed=summary.tests_failed,
            expectations_passed=summary.expectations_passed,
            expectations_failed=summary.expectations_failed,
        )
        summary.published_counts = publish(
            settings.published_path,
            settings.build_path,
            facts,
            prepare=lambda new_file: write_dashboards(new_file, run_dashboards),
            config=settings.duckdb_config(),
        )
        summary.parquet = export_parquet(settings.published_path, summary.run_id)
        with duckdb.connect(str(settings.published_path), read_only=True) as con:
            summary.status_counts = dict(
                con.execute("select status, count(*) from kpi_values group by 1").fetchall()
            )
        swap_in(run_docs, settings.docs_dir)
        swap_in(run_dashboards, settings.dashboards_dir)
        summary.dashboards = sorted(settings.dashboards_dir.glob("*.html"))
        summary.data_docs, summary.dbt_docs, summary.docs_index = (
            settings.docs_dir / path.relative_to(run_docs) if path else None
            for path in (summary.data_docs, summary.dbt_docs, summary.docs_index)
        )
        summary.seconds_by_phase["publish"] = time.perf_counter() - clock
    return summary
