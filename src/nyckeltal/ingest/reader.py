"""Read one landing file into the build database: a CSV (any encoding, `,` or `;`, malformed
lines kept as rejects) or Parquet into the temp table `_landing_file`, then appended to
`raw.<table>` with `_row_number`, `_source_file` and `_loaded_at`; one manifest row per table."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from nyckeltal.ingest.contract import Table
from nyckeltal.ingest.encoding import utf8_copy, utf8_fault
from nyckeltal.ingest.files import LandingError, open_bytes
from nyckeltal.ingest.notes import LandingNote

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadingOptions:
    """How to read what a file does not say itself (the settings of the same names)."""

    # NYCKELTAL_LANDING_ENCODING: auto (UTF-8, else Windows-1252, else Latin-1, with a
    # warning), utf-8 (anything else is an error), windows-1252 or latin-1 (files that are not
    # UTF-8 are in this encoding)
    encoding: str = "auto"
    # NYCKELTAL_DATE_FORMAT / NYCKELTAL_SERVICENOW_DATE_FORMAT: dmy or mdy, for files whose
    # slash dates are ambiguous (every day and month <= 12)
    date_format: str | None = None
    servicenow_date_format: str | None = None


@dataclass
class LoadContext:
    """One load: the build database connection, its time stamp, options and notes so far."""

    con: duckdb.DuckDBPyConnection
    stamp: datetime
    options: ReadingOptions = ReadingOptions()
    notes: list[LandingNote] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedTable:
    table: str
    source_file: str | None
    row_count: int
    rejected_count: int
    # columns of the file that the contract does not have (ignored, and the run says so)
    ignored_columns: tuple[str, ...] = ()


def _first_line(path: Path) -> str:
    try:
        with io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig", newline="") as handle:
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


def load_csv(context: LoadContext, table: Table, path: Path) -> set[str]:
    fault = utf8_fault(path)
    if fault is None:
        return _load_utf8_csv(context.con, table, path, path)
    readable, note = utf8_copy(path, fault, context.options.encoding)
    context.notes.append(note)
    try:
        return _load_utf8_csv(context.con, table, path, readable)
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
    normalised = [name.strip().lower() for name in names]
    renamed = [name.replace('"', "") for name in normalised]
    if renamed != names:  # copying millions of rows only to rename is worth avoiding
        renames = ", ".join(
            '"{}" as "{}"'.format(name.replace('"', '""'), new)
            for name, new in zip(names, renamed, strict=True)
        )
        con.execute(
            f"create or replace temp table _landing_file as select {renames} from _landing_file"
        )
    return set(normalised)


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


def read_landing_file(context: LoadContext, table: Table, path: Path) -> tuple[set[str], int]:
    """Read one file into the temp table `_landing_file`; its columns and rejected lines."""
    logger.info("loading %s from %s", table.name, path)
    if path.name.endswith(".parquet"):
        return load_parquet(context.con, table, path), 0
    available = load_csv(context, table, path)
    return available, copy_rejects(context, table, path)


def append_landing_file(
    context: LoadContext,
    table: Table,
    available: set[str],
    path: Path,
    extra_values: tuple[str, ...] = (),
) -> int:
    """Append `_landing_file` to raw.<table> (values for create_raw_table's extra columns, in
    order); the number of rows appended."""
    con = context.con
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
        [context.stamp, *extra_values],
    )
    return int(con.execute("select count(*) from _landing_file").fetchall()[0][0])


def record_manifest(
    context: LoadContext,
    table_name: str,
    paths: list[Path],
    row_count: int,
    rejected_count: int,
) -> LoadedTable:
    """One manifest row per landed table (its files together; absent when there are none)."""
    con, stamp = context.con, context.stamp
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


def copy_rejects(context: LoadContext, table: Table, path: Path) -> int:
    con = context.con
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
        [table.name, str(path), context.stamp],
    )
    count = con.execute("select count(distinct line) from _landing_rejects").fetchall()[0][0]
    con.execute("drop table if exists _landing_rejects")
    con.execute("drop table if exists _landing_reject_scans")
    return int(count)
