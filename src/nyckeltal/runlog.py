"""What each `nyckeltal run` leaves for the operator who scheduled it.

- `warehouse/logs/nyckeltal.log`: the run's progress and warnings, with time stamps and run
  id (rotated at 5 MiB, five old files kept; dbt's own `dbt.log` rotates beside it).
- `warehouse/logs/runs.jsonl`: one JSON object per run, failed runs included: exit code,
  phases, row counts, the slowest dbt nodes (rotated like the log).
- one summary line, the last line the run prints, for the journal or a cron mail.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nyckeltal.pipeline import RunSummary

LOG_BYTES = 5 * 2**20
BACKUPS = 5
SLOWEST_NODES = 20
PROGRESS_LOGGER = "nyckeltal.run"


def logs_dir(warehouse_dir: Path) -> Path:
    return warehouse_dir / "logs"


class RunLog:
    """Context: progress (`progress(message)`) and nyckeltal's warnings go to the rotated log
    file for the duration of one run."""

    def __init__(self, warehouse_dir: Path, run_id: str) -> None:
        folder = logs_dir(warehouse_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "nyckeltal.log"
        self.handler = RotatingFileHandler(
            self.path, maxBytes=LOG_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        self.handler.setFormatter(
            logging.Formatter(f"%(asctime)s {run_id} %(levelname)s %(message)s")
        )
        self.handler.setLevel(logging.INFO)
        self.progress_logger = logging.getLogger(PROGRESS_LOGGER)

    def __enter__(self) -> RunLog:
        self.progress_logger.setLevel(logging.INFO)
        self.progress_logger.propagate = False
        self.progress_logger.addHandler(self.handler)
        logging.getLogger("nyckeltal").addHandler(self.handler)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress_logger.removeHandler(self.handler)
        logging.getLogger("nyckeltal").removeHandler(self.handler)
        self.handler.close()

    def progress(self, message: str) -> None:
        self.progress_logger.info(message)


def _rotate(path: Path) -> None:
    if not path.exists() or path.stat().st_size < LOG_BYTES:
        return
    for index in range(BACKUPS - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{index + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))


def run_record(
    summary: RunSummary,
    exit_code: int,
    seconds: float,
    error: str | None = None,
    extra: dict | None = None,
) -> dict:
    return {
        "run_id": summary.run_id,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "exit_code": exit_code,
        "outcome": "published" if exit_code == 0 else "failed",
        "error": error,
        "seconds": round(seconds, 3),
        "seconds_by_phase": {
            name: round(value, 3) for name, value in summary.seconds_by_phase.items()
        },
        "landed_rows": summary.landed_rows,
        "build_mode": summary.build_mode,
        "full_build_reason": summary.full_build_reason,
        "tests_passed": summary.tests_passed,
        "tests_failed": summary.tests_failed,
        "expectations_passed": summary.expectations_passed,
        "expectations_failed": summary.expectations_failed,
        "status_counts": summary.status_counts,
        "slowest_nodes": summary.slowest_nodes(SLOWEST_NODES),
        **(extra or {}),
    }


def append_run_record(warehouse_dir: Path, record: dict) -> Path:
    path = logs_dir(warehouse_dir) / "runs.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    _rotate(path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    return path


def read_run_records(warehouse_dir: Path) -> list[dict]:
    path = logs_dir(warehouse_dir) / "runs.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def summary_line(record: dict) -> str:
    """One line: outcome, exit code, time and counts; the error's first line on failure."""
    counts = record.get("status_counts") or {}
    parts = [
        f"nyckeltal run {record['run_id']} {record['outcome']}",
        f"exit={record['exit_code']}",
        f"seconds={record['seconds']:.1f}",
        f"landed_rows={record['landed_rows']}",
        f"build={record.get('build_mode', 'full')}",
    ]
    if record["exit_code"] == 0:
        parts += [f"{status}={counts[status]}" for status in sorted(counts)]
        parts.append(f"checks_failed={record['tests_failed'] + record['expectations_failed']}")
    elif record.get("error"):
        parts.append(f"error={record['error'].splitlines()[0][:300]}")
    return " ".join(parts)
