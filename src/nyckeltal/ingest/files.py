"""Where the landing folder's data are: a table's file or folder of deliveries, the files that
nothing reads, and a file's bytes (gzip or plain)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")


class LandingError(RuntimeError):
    """A landing file cannot be read; the message names it."""


def table_file_names(table: str) -> set[str]:
    return {f"{table}{suffix}" for suffix in DATA_SUFFIXES}


def is_data_file(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(DATA_SUFFIXES)


def find_table_files(landing_dir: Path, table: str) -> list[Path]:
    """The table's file, or the data files of a folder named after it (several deliveries of
    the same columns: `tickets/2025.csv`, `tickets/2026.csv`); names match case-insensitively
    (`Tickets.CSV` is tickets)."""
    names = table_file_names(table)
    entries = sorted(landing_dir.iterdir()) if landing_dir.is_dir() else []
    files = [path for path in entries if path.is_file() and path.name.lower() in names]
    folders = [path for path in entries if path.is_dir() and path.name.lower() == table]
    found = files + [path for folder in folders for path in sorted(folder.iterdir())]
    if len(files) > 1 or (files and folders):
        listed = ", ".join(str(path) for path in [*files, *folders])
        raise LandingError(f"{landing_dir}: table {table} has more than one file ({listed})")
    return [path for path in found if is_data_file(path)]


def unlisted_files(
    landing_dir: Path, tables: Iterable[str], system_dirs: Iterable[str]
) -> list[Path]:
    """Files and folders in the landing folder that no table or system adapter (reading its
    sub-folder of `system_dirs`) reads, and anything but data files inside a table's folder
    (hidden files aside): they are ignored, and the run says so."""
    if not landing_dir.is_dir():
        return []
    tables = set(tables)
    systems = set(system_dirs)
    table_files = {name for table in tables for name in table_file_names(table)}
    unknown = []
    for path in landing_dir.iterdir():
        name = path.name.lower()
        if name.startswith(".") or (name in systems and path.is_dir()):
            continue
        if path.is_dir() and name in tables:
            unknown += [
                item
                for item in path.iterdir()
                if not item.name.startswith(".") and not is_data_file(item)
            ]
        elif not (path.is_file() and name in table_files):
            unknown.append(path)
    return sorted(unknown)


def landing_has_data(landing_dir: Path) -> bool:
    """True when the folder (or a system sub-folder) holds at least one data file."""
    if not landing_dir.is_dir():
        return False
    return any(
        path.is_file() and path.name.endswith(DATA_SUFFIXES) for path in landing_dir.rglob("*")
    )


def open_bytes(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")
