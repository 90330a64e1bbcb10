"""Parquet copies of the publication for tools that read files, swapped in atomically.

Each run writes `parquet-<run_id>/` beside the published database (kpi_values partitioned by
kpi_id and period_grain, one file per other table), then points the symlink `parquet` at it
with an atomic rename of a new link over the old one, and removes older folders. A reader
that resolved the old link keeps reading the old folder until it is removed.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

LINK_NAME = "parquet"
PREFIX = "parquet-"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(published_path: Path, run_id: str) -> Path:
    folder = published_path.parent
    target = folder / f"{PREFIX}{run_id}"
    staging = folder / f".{PREFIX}{run_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with duckdb.connect(str(published_path), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
                " order by 1"
            ).fetchall()
        ]
        for table in tables:
            if table == "kpi_values":
                con.execute(
                    f"copy kpi_values to {_quote(staging / 'kpi_values')}"
                    " (format parquet, partition_by (kpi_id, period_grain))"
                )
            else:
                con.execute(
                    f"copy {table} to {_quote(staging / f'{table}.parquet')} (format parquet)"
                )
    staging.rename(target)
    link = folder / LINK_NAME
    new_link = folder / f".{LINK_NAME}.{run_id}.link"
    new_link.unlink(missing_ok=True)
    new_link.symlink_to(target.name)
    new_link.replace(link)  # atomic: readers see the old folder or the new one
    for old in folder.glob(f"{PREFIX}*"):
        if old != target and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    logger.info("exported Parquet to %s", target)
    return link


def clean_parquet_leftovers(folder: Path) -> None:
    for leftover in [*folder.glob(f".{PREFIX}*.tmp"), *folder.glob(f".{LINK_NAME}.*.link")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
