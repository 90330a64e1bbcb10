"""Benchmark: generate a data set and run the whole pipeline on it; print the figures.

    .venv/bin/python scripts/benchmark.py --scale large
    .venv/bin/python scripts/benchmark.py --scale small --skip-generate
    .venv/bin/python scripts/benchmark.py --servicenow 25000   # audit log, ~150k updates

Prints wall time per phase, peak memory (this process and its children, i.e. dbt), the
landing folder's size and the row counts. Targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from nyckeltal.generate import generate_landing
from nyckeltal.generate.servicenow import generate_servicenow
from nyckeltal.pipeline import run_pipeline
from nyckeltal.settings import load_settings


def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _size_mib(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--root", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--skip-generate", action="store_true", help="reuse ROOT/landing")
    parser.add_argument(
        "--servicenow",
        type=int,
        metavar="INCIDENTS",
        help="land only a ServiceNow audit log of this many incidents (about 6 updates each)",
    )
    args = parser.parse_args()
    root = args.root or Path(tempfile.mkdtemp(prefix="nyckeltal-bench-"))
    landing = root / "landing"
    settings = load_settings()
    settings = replace(
        settings,
        landing_dir=landing,
        warehouse_dir=root / "warehouse",
        published_path=root / "warehouse" / "published.duckdb",
    )
    if args.servicenow and not args.skip_generate:
        exported = generate_servicenow(
            landing, args.servicenow, args.seed, last_date=settings.data_last_date
        )
        print(
            f"generate --system servicenow: {exported.seconds:.1f} s wall,"
            f" {exported.row_count:,} updates of {exported.incident_count:,} incidents"
        )
    elif not args.skip_generate:
        started = time.perf_counter()
        report = generate_landing(
            landing, settings.project_dir, args.scale, args.seed, last_date=settings.data_last_date
        )
        print(f"generate --scale {args.scale}: {time.perf_counter() - started:.1f} s wall")
        for table, count in report.row_counts.items():
            print(f"  {table:<24} {count:>12,} rows")
        own, _ = _peak_mib()
        print(f"  peak memory (generator): {own:,.0f} MiB")
    print(f"landing size: {_size_mib(landing):,.1f} MiB in {landing}")
    started = time.perf_counter()
    summary = run_pipeline(settings, progress=lambda message: print(f"  {message}", flush=True))
    total = time.perf_counter() - started
    phases = ", ".join(
        f"{name} {seconds:.1f} s" for name, seconds in summary.seconds_by_phase.items()
    )
    print(f"run: {total:.1f} s wall ({phases})")
    own, children = _peak_mib()
    print(f"  peak memory: {own:,.0f} MiB this process, {children:,.0f} MiB largest child (dbt)")
    print(f"  build database: {settings.build_path.stat().st_size / 2**20:,.1f} MiB")
    print(f"  published database: {settings.published_path.stat().st_size / 2**20:,.1f} MiB")
    print(f"  kpi_values by status: {summary.status_counts}")


if __name__ == "__main__":
    main()
