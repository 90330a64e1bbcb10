"""The benchmark's hand-written DuckDB reference (reference.sql), run on a landing folder.

    python -m nyckeltal.bench.reference LANDING [--threads N]

prints one JSON object: wall seconds and the month-grain rows it computed.  The benchmark
runs it in a child process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

SQL = Path(__file__).with_name("reference.sql")
SEEDS = Path(__file__).resolve().parents[3] / "seeds"  # the checkout: src/nyckeltal/bench


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def reference_sql(landing: Path, seeds: Path = SEEDS) -> list[str]:
    """The reference's statements with the file names filled in."""
    text = SQL.read_text(encoding="utf-8").format(
        tickets=_literal(landing / "tickets.csv"),
        events=_literal(landing / "ticket_events.csv.gz"),
        business_hours=_literal(seeds / "business_hours.csv"),
        holidays=_literal(seeds / "holidays.csv"),
    )
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in body.split(";") if statement.strip()]


def run_reference(landing: Path, threads: int = 2) -> dict:
    started = time.perf_counter()
    with duckdb.connect(config={"threads": threads}) as con:
        # the progress bar would write to stdout, which carries the JSON
        con.execute("set enable_progress_bar = false")
        for statement in reference_sql(landing):
            con.execute(statement).fetchall()
        rows = con.execute(
            "select kpi_id, cast(period_start as varchar), n, value, median"
            " from ref_kpis order by 1, 2"
        ).fetchall()
    return {
        "seconds": time.perf_counter() - started,
        "rows": [
            {"kpi_id": kpi, "period_start": period, "n": n, "mean": mean, "median": median}
            for kpi, period, n, mean, median in rows
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("landing", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    json.dump(run_reference(args.landing, args.threads), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
