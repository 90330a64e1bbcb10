"""Load the landing folder into the build database's `raw` schema.

Every contract table becomes `raw.<table>`: the contract's columns as text, plus
`_row_number`, `_source_file` and `_loaded_at`.  Absent tables become empty tables of the
same shape, so every staging model builds.  CSV lines that cannot be split into the header's
columns are kept in `raw._load_rejects` (they are quarantined, never lost); a file that cannot
be read at all raises `LandingError` naming it.  Exports of real systems in sub-folders are
loaded by their adapters (`nyckeltal.servicenow` for `landing/servicenow/`).
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import os
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from nyckeltal.contract import TABLES, Table

logger = logging.getLogger(__name__)

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
CHUNK_BYTES = 1 << 20


class LandingError(RuntimeError):
    """A landing file cannot be read; the message names it."""


@dataclass(frozen=True)
class LoadedTable:
    table: str
    source_file: str | None
    row_count: int
    rejected_count: int
    # columns of the file that the contract does not have (ignored, and the run says so)
    ignored_columns: tuple[str, ...] = ()


def _table_file_names(table: str) -> set[str]:
    return {f"{table}{suffix}" for suffix in DATA_SUFFIXES}


def _is_data_file(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(DATA_SUFFIXES)


def find_table_files(landing_dir: Path, table: str) -> list[Path]:
    """The table's file, or the data files of a folder named after it (several deliveries of
    the same columns: `tickets/2025.csv`, `tickets/2026.csv`); names match case-insensitively
    (`Tickets.CSV` is tickets)."""
    names = _table_file_names(table)
    entries = sorted(landing_dir.iterdir()) if landing_dir.is_dir() else []
    files = [path for path in entries if path.is_file() and path.name.lower() in names]
    folders = [path for path in entries if path.is_dir() and path.name.lower() == table]
    found = files + [path for folder in folders for path in sorted(folder.iterdir())]
    if len(files) > 1 or (files and folders):
        listed = ", ".join(str(path) for path in [*files, *folders])
        raise LandingError(f"{landing_dir}: table {table} has more than one file ({listed})")
    return [path for path in found if _is_data_file(path)]


def unknown_landing_files(landing_dir: Path) -> list[Path]:
    """Files and folders in the landing folder that no table or system adapter reads, and
    anything but data files inside a table's folder (hidden files aside): they are ignored,
    and the run says so."""
    from nyckeltal.servicenow import SYSTEM_DIR  # imports this module: imported here

    if not landing_dir.is_dir():
        return []
    tables = {table.name for table in TABLES}
    table_files = {name for table in tables for name in _table_file_names(table)}
    unknown = []
    for path in landing_dir.iterdir():
        name = path.name.lower()
        if name.startswith(".") or (name == SYSTEM_DIR and path.is_dir()):
            continue
        if path.is_dir() and name in tables:
            unknown += [
                item
                for item in path.iterdir()
                if not item.name.startswith(".") and not _is_data_file(item)
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


def _open_bytes(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def _first_line(path: Path) -> str:
    try:
        with io.TextIOWrapper(_open_bytes(path), encoding="utf-8-sig", newline="") as handle:
            return handle.readline()
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise LandingError(f"{path}: cannot be read ({error})") from error


def _header_columns(line: str, delimiter: str) -> list[str]:
    return [
        part.strip().strip('"').strip().lower() for part in line.rstrip("\r\n").split(delimiter)
    ]


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _check_columns(path: Path, table: Table, columns: list[str]) -> None:
    missing = [
        column for column in table.columns if column not in table.optional and column not in columns
    ]
    if missing:
        raise LandingError(f"{path}: missing required column(s) {', '.join(missing)}")


def select_columns(table: Table, available: set[str], source_alias: str) -> str:
    parts = []
    for column in table.columns:
        if column in available:
            parts.append(f'cast({source_alias}."{column}" as varchar) as "{column}"')
        else:
            parts.append(f'cast(null as varchar) as "{column}"')
    return ",\n    ".join(parts)


def _is_utf8(path: Path) -> bool:
    """Whether the whole file (decompressed) is valid UTF-8, read in 1 MiB chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open_bytes(path) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except (OSError, EOFError) as error:
        raise LandingError(f"{path}: cannot be read ({error})") from error
    return True


def _utf8_copy(path: Path) -> Path:
    """A UTF-8 copy of a file that is not UTF-8, written chunk by chunk: Windows-1252, or
    Latin-1 where Windows-1252 leaves a byte undefined. Decided for the whole file, so a fault
    answers the same wherever it sits in the file."""
    descriptor, name = tempfile.mkstemp(prefix="nyckeltal-landing-", suffix=".csv")
    os.close(descriptor)
    copy = Path(name)
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with _open_bytes(path) as source, copy.open("w", encoding="utf-8") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(decoder.decode(chunk))
        except UnicodeDecodeError:
            continue
        logger.warning("%s is not UTF-8: read as %s", path, label)
        return copy
    raise AssertionError("Latin-1 decodes every byte")  # pragma: no cover


def load_csv(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> set[str]:
    if _is_utf8(path):
        return _load_utf8_csv(con, table, path, path)
    readable = _utf8_copy(path)
    try:
        return _load_utf8_csv(con, table, path, readable)
    finally:
        readable.unlink(missing_ok=True)


def _load_utf8_csv(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, readable: Path
) -> set[str]:
    """path: the landing file, named in messages; readable: its UTF-8 text (itself or a copy)."""
    header = _first_line(readable)
    if not header.strip():
        raise LandingError(f"{path}: cannot be read (empty file, no header row)")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = _header_columns(header, delimiter)
    _check_columns(path, table, columns)
    con.execute("drop table if exists _landing_file")
    try:
        con.execute(
            f"""
            create temp table _landing_file as
            select * from read_csv(
                {sql_string(str(readable))},
                delim = {sql_string(delimiter)},
                header = true,
                all_varchar = true,
                quote = '"',
                escape = '"',
                store_rejects = true,
                rejects_scan = '_landing_reject_scans',
                rejects_table = '_landing_rejects'
            )
            """
        ).fetchall()
    except duckdb.Error as error:
        first = str(error).splitlines()[0]
        raise LandingError(f"{path}: cannot be read ({first})") from error
    return _normalise_names(con)


def _normalise_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Lower-case, trimmed column names (header spelling varies between exports)."""
    names = [
        row[0] for row in con.execute("select column_name from (describe _landing_file)").fetchall()
    ]
    renames = ", ".join(
        '"{}" as "{}"'.format(name.replace('"', '""'), name.strip().lower().replace('"', ""))
        for name in names
    )
    con.execute(
        f"create or replace temp table _landing_file as select {renames} from _landing_file"
    )
    return {name.strip().lower() for name in names}


def load_parquet(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> set[str]:
    con.execute("drop table if exists _landing_file")
    try:
        con.execute(
            "create temp table _landing_file as select * from read_parquet("
            f"{sql_string(str(path))})"
        ).fetchall()
    except duckdb.Error as error:
        first = str(error).splitlines()[0]
        raise LandingError(f"{path}: cannot be read ({first})") from error
    columns = _normalise_names(con)
    _check_columns(path, table, sorted(columns))
    return columns


def create_raw_table(
    con: duckdb.DuckDBPyConnection, table: Table, extra_columns: tuple[str, ...] = ()
) -> None:
    """raw.<table>: the table's columns as text, the lineage columns and `extra_columns`
    (text) an adapter records per file."""
    columns = ",\n    ".join(f'"{column}" varchar' for column in table.columns)
    extras = "".join(f",\n    {column} varchar" for column in extra_columns)
    con.execute(
        f"create or replace table raw.{table.name} (\n    {columns},\n"
        f"    _row_number bigint,\n    _source_file varchar,\n    _loaded_at timestamp{extras}\n)"
    )


def read_landing_file(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, stamp: datetime
) -> tuple[set[str], int]:
    """Read one file into the temp table `_landing_file`; its columns and rejected lines."""
    logger.info("loading %s from %s", table.name, path)
    if path.name.endswith(".parquet"):
        return load_parquet(con, table, path), 0
    available = load_csv(con, table, path)
    return available, copy_rejects(con, table, path, stamp)


def append_landing_file(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    available: set[str],
    path: Path,
    stamp: datetime,
    extra_values: tuple[str, ...] = (),
) -> int:
    """Append `_landing_file` to raw.<table> (values for create_raw_table's extra columns, in
    order); the number of rows appended."""
    extras = "".join(", ?" for _ in extra_values)
    # row numbers run on across a table's files, so they stay unique per table
    offset = con.execute(f"select count(*) from raw.{table.name}").fetchall()[0][0]
    con.execute(
        f"""
        insert into raw.{table.name}
        select
            {select_columns(table, available, "_landing_file")},
            _landing_file.rowid + 1 + {int(offset)} as _row_number,
            {sql_string(str(path))} as _source_file,
            ?::timestamp as _loaded_at{extras}
        from _landing_file
        """,
        [stamp, *extra_values],
    )
    return int(con.execute("select count(*) from _landing_file").fetchall()[0][0])


def record_manifest(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    paths: list[Path],
    row_count: int,
    rejected_count: int,
    stamp: datetime,
) -> LoadedTable:
    """One manifest row per landed table (its files together; absent when there are none)."""
    if not paths:
        con.execute(
            "insert into raw._load_manifest values (?, null, false, 0, 0, ?, null)",
            [table_name, stamp],
        )
        return LoadedTable(table_name, None, 0, 0)
    names = "; ".join(str(path) for path in paths)
    modified = max(
        datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None) for path in paths
    )
    con.execute(
        "insert into raw._load_manifest values (?, ?, true, ?, ?, ?, ?)",
        [table_name, names, row_count, rejected_count, stamp, modified],
    )
    return LoadedTable(table_name, names, row_count, rejected_count)


def load_landing(
    build_path: Path,
    landing_dir: Path,
    loaded_at: datetime,
    servicenow_date_format: str | None = None,
) -> list[LoadedTable]:
    """(Re)create the raw schema of the build database from the landing folder."""
    from nyckeltal import servicenow  # imports this module: imported here, not at the top

    build_path.parent.mkdir(parents=True, exist_ok=True)
    loaded = []
    stamp = loaded_at.astimezone(UTC).replace(tzinfo=None)
    with duckdb.connect(str(build_path)) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema if not exists raw")
        con.execute(
            "create or replace table raw._load_manifest (table_name varchar, source_file varchar,"
            " is_present boolean, row_count bigint, rejected_row_count bigint,"
            " loaded_at timestamp, file_modified_at timestamp)"
        )
        con.execute(
            "create or replace table raw._load_rejects (table_name varchar, source_file varchar,"
            " line_number bigint, error_type varchar, csv_line varchar, error_message varchar,"
            " _loaded_at timestamp)"
        )
        for table in TABLES:
            paths = find_table_files(landing_dir, table.name)
            create_raw_table(con, table)
            count = rejected = 0
            ignored: set[str] = set()
            for path in paths:
                available, file_rejected = read_landing_file(con, table, path, stamp)
                count += append_landing_file(con, table, available, path, stamp)
                rejected += file_rejected
                ignored |= available - set(table.columns)
            recorded = record_manifest(con, table.name, paths, count, rejected, stamp)
            loaded.append(replace(recorded, ignored_columns=tuple(sorted(ignored))))
        loaded.append(servicenow.load_exports(con, landing_dir, stamp, servicenow_date_format))
        con.execute("drop table if exists _landing_file")
    return loaded


def copy_rejects(con: duckdb.DuckDBPyConnection, table: Table, path: Path, stamp: datetime) -> int:
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = '_landing_rejects'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    # one line can raise several errors (e.g. a cast and a column count): keep one row per line
    con.execute(
        """
        insert into raw._load_rejects
        select ?, ?, line, any_value(error_type), any_value(csv_line),
               string_agg(error_message, '; '), ?
        from _landing_rejects
        group by line
        """,
        [table.name, str(path), stamp],
    )
    count = con.execute("select count(distinct line) from _landing_rejects").fetchall()[0][0]
    con.execute("drop table if exists _landing_rejects")
    con.execute("drop table if exists _landing_reject_scans")
    return int(count)
