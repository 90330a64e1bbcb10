"""`nyckeltal bench`: the pipeline's figures at a scale, beside a hand-written reference.

For a scale and seed the generated landing folder is written once and cached (keyed by the
generator's source, so a changed generator writes a new one).  Then, each in its own child
process with the memory of its whole process tree sampled from /proc:

1. `nyckeltal run --landing DIR` into a fresh warehouse folder: everything a default run does
   (checks, expectations, docs, dashboards, publication);
2. the hand-written DuckDB reference (reference.sql): the month-grain MTTR, reopen rate and
   business-hours first response time straight from the landing files.

It prints a table (phases, the slowest dbt nodes, peak memory, sizes, rows per second, the
ratio pipeline / reference) and appends the figures as one JSON line to a history file, so
that commits can be compared.  Targets live in the printed figures, never in timed tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from nyckeltal.generate import parse_scale
from nyckeltal.runlog import read_run_records

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields follow the last ")"
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    children = _children_by_parent()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident * PAGE
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Measured:
    seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str


def measure(command: list[str], env: dict[str, str] | None = None, every: float = 0.1) -> Measured:
    """Run a command; wall time and the peak of its process tree's resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return Measured(seconds, peak, process.returncode, stdout, stderr)


def generator_digest(project_dir: Path) -> str:
    """A short hash of the generator's code and the seeds it reads."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1] / "generate"
    for path in sorted(package.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update((project_dir / "seeds" / "holidays.csv").read_bytes())
    return digest.hexdigest()[:10]


def cached_landing(
    cache_dir: Path,
    project_dir: Path,
    scale: str,
    seed: int,
    last_date: date,
    servicenow: int | None = None,
) -> tuple[Path, dict | None]:
    """The landing folder for (scale, seed, last date, generator); generated when missing
    (`servicenow`: a ServiceNow audit log of that many incidents instead of the contract's
    tables), by `nyckeltal generate` in a child process whose time and peak memory (all
    processes) are measured. Returns the folder and those figures (None when it came from the
    cache)."""
    name = f"servicenow{servicenow}" if servicenow else scale
    key = f"{name}-{seed}-{last_date:%Y%m%d}-{generator_digest(project_dir)}"
    landing = cache_dir / key / "landing"
    done = landing.parent / ".complete"
    if done.exists():
        return landing, None
    shutil.rmtree(landing.parent, ignore_errors=True)
    command = [
        str(Path(sys.executable).parent / "nyckeltal"),
        "generate",
        "--seed",
        str(seed),
        "--landing",
        str(landing),
        "--as-of",  # data end the day before
        (last_date + timedelta(days=1)).isoformat(),
    ]
    command += (
        ["--system", "servicenow", "--incidents", str(servicenow)]
        if servicenow
        else ["--scale", scale]
    )
    env = {"NYCKELTAL_PROJECT_DIR": str(project_dir)}
    generated = measure(command, env)
    if generated.returncode != 0:
        raise RuntimeError(f"nyckeltal generate failed: {generated.stderr.strip()[-2000:]}")
    done.touch()
    return landing, {"seconds": round(generated.seconds, 3), "peak_bytes": generated.peak_bytes}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _git_commit(project_dir: Path) -> str | None:
    try:
        found = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    dirty = subprocess.run(
        ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return found.stdout.strip() + ("+changes" if dirty else "")


@dataclass
class BenchResult:
    figures: dict = field(default_factory=dict)
    reference_rows: list[dict] = field(default_factory=list)


def run_bench(
    project_dir: Path,
    scale: str,
    seed: int,
    work_dir: Path,
    last_date: date,
    servicenow: int | None = None,
    run_env: dict[str, str] | None = None,
    append_days: int | None = None,
) -> BenchResult:
    """Generate (or reuse) the data, run the pipeline and the reference; the figures.
    `append_days`: then append that many days (generate --append-days) and measure the
    incremental run on top of the first one."""
    parse_scale(scale)
    cached, generated = cached_landing(
        work_dir / "data", project_dir, scale, seed, last_date, servicenow
    )
    warehouse = work_dir / "runs" / cached.parent.name
    shutil.rmtree(warehouse, ignore_errors=True)
    landing = cached
    if append_days:
        # appending moves files and adds some: hard links leave the cache as it was, and keep
        # the files' times (an incremental load knows a file by name, size and time)
        landing = warehouse / "landing"
        shutil.copytree(cached, landing, copy_function=os.link)
        from nyckeltal.generate.append import into_folders

        # the layout of daily deliveries from the start: a moved file makes the next build full
        into_folders(landing)
    executable = Path(sys.executable).parent / "nyckeltal"
    env = {
        "NYCKELTAL_WAREHOUSE_DIR": str(warehouse),
        "NYCKELTAL_PROJECT_DIR": str(project_dir),
        # judge freshness as on the day after the data's last day, as a nightly run would
        "NYCKELTAL_AS_OF": (last_date + timedelta(days=1)).isoformat(),
        **(run_env or {}),
    }
    env.pop("NYCKELTAL_PUBLISHED_PATH", None)
    pipeline = measure([str(executable), "run", "--landing", str(landing)], env)
    if pipeline.returncode != 0:
        raise RuntimeError(
            f"nyckeltal run exited {pipeline.returncode}: {pipeline.stderr.strip()[-2000:]}"
        )
    record = read_run_records(warehouse)[-1]
    incremental = None
    if append_days:
        from nyckeltal.generate.append import append_days as append

        append(landing, project_dir, append_days, seed)
        env["NYCKELTAL_AS_OF"] = (last_date + timedelta(days=1 + append_days)).isoformat()
        incremental = measure([str(executable), "run", "--landing", str(landing)], env)
        if incremental.returncode != 0:
            raise RuntimeError(
                f"incremental nyckeltal run exited {incremental.returncode}:"
                f" {incremental.stderr.strip()[-2000:]}"
            )
    if servicenow:  # no contract files for the reference to read
        reference, reference_result = Measured(0.0, 0, 0, "", ""), {"seconds": 0.0, "rows": []}
    else:
        reference = measure([sys.executable, "-m", "nyckeltal.bench.reference", str(cached)])
        if reference.returncode != 0:
            raise RuntimeError(f"reference failed: {reference.stderr.strip()[-2000:]}")
        reference_result = json.loads(reference.stdout)
    published = warehouse / "published.duckdb"
    figures = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(project_dir),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "scale": f"servicenow {servicenow}" if servicenow else scale,
        "seed": seed,
        "tickets": servicenow or parse_scale(scale),
        "warehouse": str(warehouse),
        "landed_rows": record["landed_rows"],
        "landing_bytes": _size(cached),
        "generate_seconds": generated and generated["seconds"],
        "generate_peak_bytes": generated and generated["peak_bytes"],
        "run_seconds": round(pipeline.seconds, 3),
        "run_peak_bytes": pipeline.peak_bytes,
        "seconds_by_phase": record["seconds_by_phase"],
        "slowest_nodes": record["slowest_nodes"][:10],
        "rows_per_second": round(record["landed_rows"] / pipeline.seconds),
        "build_db_bytes": _size(warehouse / "build.duckdb"),
        "published_db_bytes": _size(published),
        "parquet_bytes": _size(warehouse / "parquet") if (warehouse / "parquet").exists() else 0,
        "status_counts": record["status_counts"],
        "reference_seconds": round(reference.seconds, 3),
        "reference_query_seconds": round(reference_result["seconds"], 3),
        "reference_peak_bytes": reference.peak_bytes,
        "ratio": round(pipeline.seconds / reference.seconds, 2) if reference.seconds else None,
        **(
            _incremental_figures(warehouse, incremental, pipeline, append_days)
            if incremental
            else {}
        ),
        "settings": {
            name: value
            for name, value in os.environ.items()
            if name
            in {
                "NYCKELTAL_THREADS",
                "NYCKELTAL_DBT_THREADS",
                "NYCKELTAL_MEMORY_LIMIT",
                "NYCKELTAL_MAX_TEMP_SIZE",
            }
        },
    }
    return BenchResult(figures=figures, reference_rows=reference_result["rows"])


def _incremental_figures(warehouse: Path, incremental: Measured, full: Measured, days: int) -> dict:
    record = read_run_records(warehouse)[-1]
    return {
        "appended_days": days,
        "incremental_build_mode": record.get("build_mode"),
        "incremental_landed_rows": record["landed_rows"],
        "incremental_seconds": round(incremental.seconds, 3),
        "incremental_peak_bytes": incremental.peak_bytes,
        "incremental_seconds_by_phase": record["seconds_by_phase"],
        "incremental_slowest_nodes": record["slowest_nodes"][:10],
        "incremental_share": round(incremental.seconds / full.seconds, 3),
    }


def _node_name(unique_id: str, width: int = 44) -> str:
    """A dbt node's name for the table (long generated test names cut in the middle)."""
    name = unique_id.split(".", 2)[-1]
    return name if len(name) <= width else name[: width - 12] + "…" + name[-11:]


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def format_table(figures: dict) -> str:
    rows = [
        ("scale", f"{figures['scale']} ({figures['tickets']:,} tickets, seed {figures['seed']})"),
        ("landed rows", f"{figures['landed_rows']:,} ({_mib(figures['landing_bytes'])} on disk)"),
        (
            "generate",
            "cached"
            if figures["generate_seconds"] is None
            else f"{figures['generate_seconds']:.1f} s,"
            f" {_mib(figures['generate_peak_bytes'])} peak (all processes)",
        ),
        ("run (wall)", f"{figures['run_seconds']:.1f} s"),
    ]
    rows += [(f"  {name}", f"{value:.1f} s") for name, value in figures["seconds_by_phase"].items()]
    rows += [
        ("run peak memory", f"{_mib(figures['run_peak_bytes'])} (all processes)"),
        ("rows per second", f"{figures['rows_per_second']:,}"),
        ("build database", _mib(figures["build_db_bytes"])),
        ("published database", _mib(figures["published_db_bytes"])),
        ("Parquet copies", _mib(figures["parquet_bytes"])),
        (
            "kpi_values",
            ", ".join(
                f"{count:,} {name}" for name, count in sorted(figures["status_counts"].items())
            ),
        ),
        (
            "reference (wall)",
            f"{figures['reference_seconds']:.1f} s, {_mib(figures['reference_peak_bytes'])} peak",
        ),
        ("ratio run / reference", f"{figures['ratio']:.1f}" if figures["ratio"] else "-"),
        ("slowest dbt nodes", ""),
    ]
    rows += [
        (f"  {_node_name(name)}", f"{seconds:.1f} s") for name, seconds in figures["slowest_nodes"]
    ]
    if "incremental_seconds" in figures:
        rows += [
            (
                f"incremental run (+{figures['appended_days']} days)",
                f"{figures['incremental_seconds']:.1f} s, {figures['incremental_share']:.0%} of"
                f" the full run, {_mib(figures['incremental_peak_bytes'])} peak"
                f" ({figures['incremental_build_mode']} build)",
            )
        ]
        rows += [
            (f"  {name}", f"{value:.1f} s")
            for name, value in figures["incremental_seconds_by_phase"].items()
        ]
        rows += [("slowest dbt nodes (incremental)", "")]
        rows += [
            (f"  {_node_name(name)}", f"{seconds:.1f} s")
            for name, seconds in figures["incremental_slowest_nodes"]
        ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def append_history(path: Path, figures: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(figures, sort_keys=True) + "\n")
