"""The `nyckeltal` command line: parse options, call one function, map errors to exit codes.

Exit codes:
  0  success
  1  unexpected internal error (a bug: please report it with the log)
  2  bad usage or setting (a bad row of seeds/kpi_targets.csv; `explain`: unknown KPI, period
     or segment)
  3  a landing file cannot be read (named in the message); nothing was published
  4  the build failed (a model did not build); nothing was published
  5  the new publication failed verification; the previous one is untouched
  6  `status`, `dashboards`, `explain`: nothing has been published yet
  7  a landed table shrank since the last publication (absent, empty or mostly quarantined);
     nothing was published (`run --accept-shrink` publishes anyway)
  75 another run holds the lock; try again later
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nyckeltal.settings import Settings

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_LANDING = 3
EXIT_BUILD = 4
EXIT_PUBLISH = 5
EXIT_NOT_PUBLISHED = 6
EXIT_SHRUNK = 7
EXIT_LOCKED = 75


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nyckeltal",
        description="KPI warehouse on dbt and DuckDB: generate data, build, check and publish.",
        epilog=__doc__.split("\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="write a generated data set (every table of the raw contract) into a landing folder",
        description="Write a deterministic, realistic data set in the raw contract's shape.",
    )
    generate.add_argument(
        "--scale",
        default="small",
        help="small (20k tickets), medium (200k), large (1M), xlarge (10M) or a number of tickets",
    )
    generate.add_argument(
        "--seed", type=int, default=20250301, help="random seed (default 20250301)"
    )
    generate.add_argument(
        "--dirty", action="store_true", help="plant defects of every kind and print their counts"
    )
    generate.add_argument("--landing", type=Path, help="landing folder (default: the setting)")
    _as_of_option(generate, "data end the day before (default: yesterday)")
    generate.add_argument(
        "--append-days",
        type=int,
        metavar="N",
        help="add N days of tickets and events after the last day the landing folder holds,"
        " one delivery file per day in tickets/ and ticket_events/ (the single files move there)",
    )
    generate.add_argument(
        "--system",
        choices=["contract", "servicenow"],
        default="contract",
        help="contract: every table of the raw contract (default); servicenow: a ServiceNow"
        " incident export in landing/servicenow/incident.csv",
    )
    generate.add_argument(
        "--incidents", type=int, default=25_000, help="servicenow: incidents (default 25000)"
    )
    generate.add_argument(
        "--shape",
        choices=["audit_log", "per_incident"],
        default="audit_log",
        help="servicenow: one row per update (default) or one row per incident",
    )
    generate.add_argument(
        "--date-format",
        choices=["dmy", "iso"],
        default="dmy",
        help="servicenow: DD/MM/YYYY HH:MM (default) or ISO dates",
    )
    generate.add_argument(
        "--activity",
        choices=["steady", "bursty"],
        default="steady",
        help="servicenow: incidents opened evenly (default) or a busy quarter, then a trickle",
    )
    generate.add_argument(
        "--unresolved-share",
        type=float,
        default=0.0,
        help="servicenow: share of resolved incidents exported without resolved_at (default 0)",
    )

    run = commands.add_parser(
        "run",
        help="load the landing folder, build, check and publish (default data if it is empty)",
        description=(
            "Write the embedded default data when the landing folder holds no data, load it, "
            "build the dbt models, run the checks and publish warehouse/published.duckdb."
        ),
    )
    run.add_argument("--landing", type=Path, help="landing folder (default: the setting)")
    _as_of_option(run, "judge freshness as of then; default data end the day before")
    run.add_argument(
        "--accept-shrink",
        action="store_true",
        help="publish even if a landed table arrives absent, empty or mostly quarantined",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="read every landing file and build every model whole (by default a run whose"
        " table folders only got new deliveries reads and builds just those)",
    )

    bench = commands.add_parser(
        "bench",
        help="benchmark: run the pipeline on generated data of a scale beside a hand-written"
        " reference; print the figures and append them to a history file",
        description=(
            "Generate (once per scale and seed, cached) a landing folder, run `nyckeltal run`"
            " on it in a fresh warehouse folder and the hand-written DuckDB reference; print"
            " phases, the slowest dbt nodes, peak memory of all processes, sizes and the ratio"
            " run / reference; append the figures as JSON to the history file."
        ),
    )
    bench.add_argument("--scale", default="small", help="small, medium, large, xlarge or a count")
    bench.add_argument("--seed", type=int, default=20250301)
    bench.add_argument(
        "--work-dir",
        type=Path,
        help="cached data and the benchmark's warehouses (default: warehouse/bench)",
    )
    bench.add_argument(
        "--history",
        type=Path,
        help="JSON lines file the figures are appended to (default: benchmarks/history.jsonl)",
    )
    bench.add_argument(
        "--servicenow",
        type=int,
        metavar="INCIDENTS",
        help="land a ServiceNow audit log of this many incidents (about 6 updates each) instead",
    )
    bench.add_argument(
        "--append-days",
        type=int,
        metavar="N",
        help="then append N days (generate --append-days) and measure the incremental run",
    )
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")

    commands.add_parser(
        "dashboards",
        help="write the dashboards (HTML, English and Swedish) from the published database",
        description=(
            "Write management, service-desk, HR and customer dashboards and an index, one"
            " self-contained HTML file each (English; Swedish as <page>.sv.html), from the"
            " published database into warehouse/dashboards/. `nyckeltal run` does this too."
        ),
    )

    explain = commands.add_parser(
        "explain",
        help="explain one published KPI value: row, definition, checks and the units behind it",
        description=(
            "Print a kpi_values row with its numerator, denominator, n, status and reasons, the"
            " catalogue's definition and formula, the checks the KPI depended on and their"
            " results, and for ticket and customer KPIs the units behind the value (ticket,"
            " survey answer, change, customer or session ids with their measure). EX KPIs list"
            " counts only, never a person."
        ),
    )
    explain.add_argument("kpi_id", help="e.g. itsm_mttr")
    explain.add_argument(
        "period", help="2026-10 (month), 2026-W41 (ISO week), 2026-Q3 or 2026-10-05 (day)"
    )
    explain.add_argument("--segment", metavar="TYPE=VALUE", help="e.g. team=it_l1 (default all)")
    explain.add_argument(
        "--json", action="store_true", help="print JSON only: every unit, no truncation"
    )

    status = commands.add_parser(
        "status",
        help="show the last publication: when, sources' watermarks, rows by KPI and status",
    )
    status.add_argument("--json", action="store_true", help="print JSON")
    _as_of_option(status, "warn about sources not refreshed within their tolerance of then")
    return parser


def _as_of_option(parser: argparse.ArgumentParser, effect: str) -> None:
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help=f"today is DATE (YYYY-MM-DD or an ISO time, UTC): {effect}"
        " (default: NYCKELTAL_AS_OF, else now)",
    )


def _with_as_of(settings: Settings, as_of: str | None) -> Settings:
    from nyckeltal.settings import parse_as_of

    if as_of is None:
        return settings
    return replace(settings, as_of=parse_as_of("--as-of", as_of))


def _generate(args: argparse.Namespace) -> int:
    from nyckeltal.generate import generate_landing
    from nyckeltal.settings import load_settings

    settings = _with_as_of(load_settings().with_landing(args.landing), args.as_of)
    if args.append_days is not None:
        from nyckeltal.generate.append import append_days

        appended = append_days(
            settings.landing_dir, settings.project_dir, args.append_days, args.seed
        )
        days = f"{appended.days[0]} to {appended.days[-1]}"
        print(f"appended {len(appended.days)} days ({days}) in {appended.seconds:.1f} s")
        for path, rows in appended.files:
            print(f"  {path}  {rows:,} rows")
        return EXIT_OK
    if args.system == "servicenow":
        from nyckeltal.generate.servicenow import generate_servicenow

        exported = generate_servicenow(
            settings.landing_dir,
            args.incidents,
            args.seed,
            args.shape,
            args.date_format,
            args.activity,
            args.unresolved_share,
            last_date=settings.data_last_date,
        )
        print(
            f"wrote {exported.row_count:,} rows ({exported.incident_count:,} incidents) to"
            f" {exported.path} in {exported.seconds:.1f} s"
        )
        return EXIT_OK
    report = generate_landing(
        settings.landing_dir,
        settings.project_dir,
        args.scale,
        args.seed,
        args.dirty,
        last_date=settings.data_last_date,
    )
    rows = sum(report.row_counts.values())
    print(
        f"wrote {rows:,} rows ({report.ticket_count:,} tickets) to {report.landing_dir}"
        f" in {report.seconds:.1f} s"
    )
    for table, count in report.row_counts.items():
        print(f"  {table:<24} {count:>12,}")
    if args.dirty:
        print("planted defects:")
        for name, count in report.defects.items():
            print(f"  {name:<24} {count:>12,}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    import time
    from datetime import UTC, datetime

    from nyckeltal.pipeline import RunSummary, new_run_id, run_pipeline
    from nyckeltal.runlog import RunLog, append_run_record, run_record, summary_line
    from nyckeltal.settings import check_settings, load_settings

    settings = _with_as_of(load_settings().with_landing(args.landing), args.as_of)
    if args.accept_shrink:
        settings = replace(settings, accept_shrink=True)
    check_settings(settings)
    if settings.uses_default_key:
        print(
            "warning: NYCKELTAL_PSEUDONYM_KEY is not set; person identifiers are hashed with the"
            " public default key. Set a secret key for real data.",
            file=sys.stderr,
        )
    summary = RunSummary(run_id=new_run_id(datetime.now(UTC)), generated_default=False)
    clock = time.perf_counter()
    extra = {
        "landing_dir": str(settings.landing_dir),
        "published_path": str(settings.published_path),
    }
    with RunLog(settings.warehouse_dir, summary.run_id) as log:

        def progress(message: str) -> None:
            print(message, flush=True)
            log.progress(message)

        try:
            run_pipeline(
                settings, progress=progress, summary=summary, full_refresh=args.full_refresh
            )
        except Exception as error:
            code = _report_error("run", error, args.debug)
            log.progress(f"failed (exit {code}): {error}")
            record = run_record(summary, code, time.perf_counter() - clock, str(error), extra)
            append_run_record(settings.warehouse_dir, record)
            log.progress(summary_line(record))
            print(summary_line(record), file=sys.stderr)
            return code
        record = run_record(summary, EXIT_OK, time.perf_counter() - clock, None, extra)
        append_run_record(settings.warehouse_dir, record)
        log.progress(summary_line(record))
    phases = ", ".join(
        f"{name} {seconds:.1f} s" for name, seconds in summary.seconds_by_phase.items()
    )
    counts = ", ".join(
        f"{count:,} {status}" for status, count in sorted(summary.status_counts.items())
    )
    print(f"done: run {summary.run_id} ({phases})")
    print(f"kpi_values: {counts}")
    print(f"published database: {settings.published_path}")
    if summary.parquet:
        print(
            f"Parquet copies: {summary.parquet}/ (kpi_values partitioned by kpi_id, period_grain)"
        )
    _print_dashboards(summary.dashboards)
    if summary.docs_index:
        print(f"run documentation: {summary.docs_index}")
    if summary.dbt_docs:
        print(f"dbt docs: {summary.dbt_docs}")
    if summary.data_docs:
        print(f"Great Expectations Data Docs: {summary.data_docs}")
    print("query it read-only, e.g.:")
    print(
        f'  duckdb -readonly {settings.published_path} "select kpi_id, period_start, value, status'
        " from kpi_values where period_grain = 'month' and segment_type = 'all' order by 1, 2\""
    )
    print("  nyckeltal status   # what was published and why rows were withheld")
    print(f"log: {settings.warehouse_dir / 'logs'}/nyckeltal.log, runs.jsonl")
    print(summary_line(record))
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from nyckeltal.bench import append_history, format_table, run_bench
    from nyckeltal.settings import load_settings

    settings = load_settings()
    work_dir = (args.work_dir or settings.warehouse_dir / "bench").resolve()
    history = args.history or settings.project_dir / "benchmarks" / "history.jsonl"
    result = run_bench(
        settings.project_dir,
        args.scale,
        args.seed,
        work_dir,
        settings.data_last_date,
        servicenow=args.servicenow,
        append_days=args.append_days,
    )
    append_history(history, result.figures)
    if args.json:
        print(json.dumps(result.figures, indent=2))
    else:
        print(format_table(result.figures))
        print(f"appended to {history}")
    return EXIT_OK


def _print_dashboards(pages: list[Path]) -> None:
    english = [page for page in pages if page.name.count(".") == 1]
    if not english:
        return
    english.sort(key=lambda page: (page.stem != "index", page.name))
    print("dashboards (open in a browser; Swedish beside each as <page>.sv.html):")
    for page in english:
        print(f"  {page}")


def _dashboards(_args: argparse.Namespace) -> int:
    from nyckeltal.dashboards import publish_dashboards
    from nyckeltal.settings import load_settings

    _print_dashboards(publish_dashboards(load_settings()))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from nyckeltal.explain import explain, format_text
    from nyckeltal.settings import load_settings

    result = explain(load_settings().published_path, args.kpi_id, args.period, args.segment)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(format_text(result))
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from nyckeltal.settings import load_settings
    from nyckeltal.status import read_status

    settings = _with_as_of(load_settings(), args.as_of)
    status = read_status(settings.published_path, settings.as_of)
    if args.json:
        print(json.dumps(status, indent=2, sort_keys=True))
        return EXIT_OK
    publication = status["publication"]
    print(f"published database: {status['published_path']}")
    print(
        f"last publication: run {publication['run_id']} finished {publication['finished_at']} UTC"
    )
    print(
        f"checks: {publication['tests_passed']} passed, {publication['tests_failed']} failed;"
        f" expectations: {publication['expectations_passed']} passed,"
        f" {publication['expectations_failed']} failed"
    )
    print("sources:")
    for source in status["sources"]:
        mark = source["watermark_at"] or "-"
        state = "present" if source["present"] else "absent"
        warning = "  warning: not refreshed within its tolerance" if source["stale"] else ""
        print(f"  {source['source']:<24} {state:<8} watermark {mark}{warning}")
    print("kpi_values rows by KPI and status:")
    for kpi_id, counts in status["rows_by_kpi"].items():
        text = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
        print(f"  {kpi_id:<32} {text}")
    if status["withheld_month_rows"]:
        print("withheld month rows (segment all) and why:")
        for row in status["withheld_month_rows"]:
            print(f"  {row['kpi_id']:<32} {row['rows']:>4} x {row['reasons']}")
    if status["servicenow_closed_without_resolved_at"]:
        print(
            "ServiceNow incidents closed without resolved_at (in no MTTR, reopen or SLA"
            " figure, as in ServiceNow's own reports):"
        )
        for row in status["servicenow_closed_without_resolved_at"]:
            print(f"  {row['month']}  {row['incidents']:>6,}")
    if status["landing_notes"]:
        print("landing folder notes (files and columns ignored, encodings, date formats):")
        for note in status["landing_notes"]:
            mark = "warning" if note["is_warning"] else "note"
            print(f"  {mark}: {note['source_file']}: {note['detail']}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handlers = {
        "generate": _generate,
        "run": _run,
        "status": _status,
        "dashboards": _dashboards,
        "explain": _explain,
        "bench": _bench,
    }
    try:
        return handlers[args.command](args)
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        return _report_error(args.command, error, args.debug)


def _exit_code(error: BaseException) -> int:
    """The documented exit code of an error (EXIT_INTERNAL for one not foreseen)."""
    from nyckeltal.dbt import DbtError
    from nyckeltal.generate import GenerateError
    from nyckeltal.ingest import LandingError
    from nyckeltal.lock import LockedError
    from nyckeltal.publish import PublishError
    from nyckeltal.settings import SettingsError
    from nyckeltal.shrink import ShrinkError
    from nyckeltal.status import NotPublishedError

    errors = (
        (LockedError, EXIT_LOCKED),
        (LandingError, EXIT_LANDING),
        (DbtError, EXIT_BUILD),
        (PublishError, EXIT_PUBLISH),
        (NotPublishedError, EXIT_NOT_PUBLISHED),
        (ShrinkError, EXIT_SHRUNK),
        (SettingsError, EXIT_USAGE),
        (GenerateError, EXIT_USAGE),
    )
    for kind, code in errors:
        if isinstance(error, kind):
            return code
    return EXIT_INTERNAL


def _report_error(command: str, error: BaseException, debug: bool) -> int:
    """Map an error to one clear line on stderr and its exit code."""
    code = _exit_code(error)
    if code != EXIT_INTERNAL:
        print(f"nyckeltal {command}: {error}", file=sys.stderr)
        return code
    if debug:
        logging.getLogger(__name__).error("unexpected error", exc_info=error)
    print(
        f"nyckeltal {command}: internal error: {error} (--debug shows the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
