"""Run dbt with the project's settings, in a child process.

dbt-duckdb keeps its DuckDB instance open for the life of the process, and DuckDB refuses a
second connection to the same file with another configuration; a child process keeps the build
database closed for the publish step and isolates dbt's memory.  Results come from
target/run_results.json and target/manifest.json.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nyckeltal.settings import Settings

logger = logging.getLogger(__name__)


class DbtError(RuntimeError):
    """dbt could not run, or a model failed to build."""


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str
    message: str | None
    seconds: float = 0.0


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    results: list[NodeResult]
    output: str


def _die_with_parent() -> None:
    """In the child: ask Linux to kill it when the parent dies (a `kill -9` of `nyckeltal
    run` must not leave dbt writing the build database)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except OSError:  # not Linux: the child outlives a killed parent
        pass


PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "profiles")


def project_digest(project_dir: Path) -> str:
    """A hash over every file dbt parses (paths and contents)."""
    digest = hashlib.sha256()
    files = [project_dir / "dbt_project.yml"]
    for folder in PROJECT_FOLDERS:
        files.extend(sorted(path for path in (project_dir / folder).rglob("*") if path.is_file()))
    for path in files:
        digest.update(str(path.relative_to(project_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def reset_partial_parse_if_changed(project_dir: Path, target_dir: Path) -> bool:
    """Drop dbt's partial-parse cache when the project changed since the last run: dbt 1.11
    misses some YAML edits (e.g. unit test rows) and would test a stale project. Returns
    whether the cache was dropped."""
    marker = target_dir / "nyckeltal_project_digest.txt"
    current = project_digest(project_dir)
    previous = marker.read_text(encoding="utf-8") if marker.exists() else None
    if previous == current:
        return False
    (target_dir / "partial_parse.msgpack").unlink(missing_ok=True)
    target_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(current, encoding="utf-8")
    return True


def build_fingerprint(settings: Settings) -> str:
    """What the built tables depend on besides the data: the project's files, the loader's
    code (it writes the raw tables), the versions of dbt, its adapter and DuckDB, the vars but
    the as-of time, and the pseudonym key (hashed). An incremental build is only sound on top
    of a build with the same fingerprint."""
    from importlib.metadata import version

    import nyckeltal.ingest

    digest = hashlib.sha256(project_digest(settings.project_dir).encode())
    for path in sorted(Path(nyckeltal.ingest.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={version(package)}".encode())
    dbt_vars = {name: value for name, value in settings.dbt_vars().items() if name != "as_of"}
    digest.update(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    digest.update(hashlib.sha256(settings.pseudonym_key.encode()).digest())
    return digest.hexdigest()[:16]


def unit_test_key(settings: Settings) -> str:
    """What a unit test's outcome depends on: the build fingerprint, the as-of time and
    "today" (the as-of day, or the current UTC day when none is set, for models that read the
    clock)."""
    from datetime import UTC, datetime

    digest = hashlib.sha256(build_fingerprint(settings).encode())
    digest.update(json.dumps(settings.dbt_vars().get("as_of")).encode())
    digest.update(f"{(settings.as_of or datetime.now(UTC)).date()}".encode())
    return digest.hexdigest()[:16]


UNIT_TEST_CACHES_KEPT = 20


def _unit_test_cache(settings: Settings, key: str) -> Path:
    """Beside the project (shared by every warehouse folder that builds it), in dbt's
    git-ignored target folder."""
    return settings.project_dir / "target" / "unit-test-results" / f"{key}.json"


def cached_unit_tests(settings: Settings, key: str) -> tuple[list[NodeResult], str] | None:
    """The unit test results of an earlier run with the same unit_test_key, and its run id."""
    path = _unit_test_cache(settings, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [NodeResult(**item) for item in data["results"]], data["run_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_json_atomically(path: Path, payload: object) -> None:
    """Write JSON beside the path, then rename it over: a reader sees the old file or the
    new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(payload), encoding="utf-8")
    temporary.replace(path)


def cache_unit_tests(settings: Settings, key: str, results: list[NodeResult], run_id: str) -> bool:
    """Keep the run's unit test results for later runs of the same project version; only when
    every unit test ran to a verdict (pass or fail, no error). `key`: unit_test_key as it was
    when dbt parsed the project for this run. Returns whether it was kept (a read-only
    checkout keeps nothing)."""
    units = [node for node in results if node.unique_id.startswith("unit_test.")]
    if not units or any(node.status not in {"pass", "fail"} for node in units):
        return False
    path = _unit_test_cache(settings, key)
    payload = {"run_id": run_id, "results": [node.__dict__ for node in units]}
    try:
        write_json_atomically(path, payload)
        for old in sorted(path.parent.glob("*.json"), key=lambda item: -item.stat().st_mtime)[
            UNIT_TEST_CACHES_KEPT:
        ]:
            old.unlink(missing_ok=True)
    except OSError as error:
        logger.info("unit test results not kept (%s)", error)
        return False
    return True


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def invoke(settings: Settings, command: list[str], extra: list[str] | None = None) -> DbtRun:
    settings.temp_dir.mkdir(parents=True, exist_ok=True)
    results_path = settings.target_dir / "run_results.json"
    results_path.unlink(missing_ok=True)
    args = [
        dbt_executable(),
        *command,
        "--project-dir",
        str(settings.project_dir),
        "--profiles-dir",
        str(settings.project_dir / "profiles"),
        "--target-path",
        str(settings.target_dir),
        "--log-path",
        str(settings.warehouse_dir / "logs"),
        "--vars",
        json.dumps(settings.dbt_vars()),
        "--no-use-colors",
        *(extra or []),
    ]
    logger.info("running %s", " ".join(args[:2]))
    environment = {**os.environ, **settings.dbt_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    completed = subprocess.run(
        args,
        cwd=settings.project_dir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_die_with_parent,
    )
    return DbtRun(
        completed.returncode, read_results(results_path), completed.stdout + completed.stderr
    )


def read_results(path: Path) -> list[NodeResult]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [
        NodeResult(
            item["unique_id"], item["status"], item.get("message"), item.get("execution_time", 0.0)
        )
        for item in data.get("results", [])
    ]


def first_error_line(output: str) -> str:
    """The error dbt reported, on one line (dbt prints it over a few lines)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if "Encountered an error" in line or "Error" in line:
            text = " ".join(lines[index : index + 4])
            return text.split("Encountered an error:", 1)[-1].strip()
    return lines[-1] if lines else "no output"


def load_manifest(settings: Settings) -> dict:
    path = settings.target_dir / "manifest.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
