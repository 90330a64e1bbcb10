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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from nyckeltal.contract import TABLES, Table

logger = logging.getLogger(__name__)

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
CHUNK_BYTES = 1 << 20
# NYCKELTAL_LANDING_ENCODING: the encoding of landing files that are not UTF-8 (Python codec)
ENCODINGS = {"auto": None, "utf-8": None, "windows-1252": "cp1252", "latin-1": "latin-1"}
DATE_FORMATS = ("iso", "dmy", "mdy")


class LandingError(RuntimeError):
    """A landing file cannot be read; the message names it."""


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


@dataclass(frozen=True)
class LandingNote:
    """Something the loader noticed about a file: kept in raw._landing_notes (published as
    quality_landing_notes) and printed by the run."""

    kind: str  # unknown_file, unknown_columns, encoding, date_format
    path: str
    detail: str
    is_warning: bool = True

    def message(self) -> str:
        return f"{self.path}: {self.detail}"


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


def _utf8_error(path: Path) -> tuple[int, int] | None:
    """None when the whole file (decompressed) is valid UTF-8, read in 1 MiB chunks; else the
    position in the file of the first byte that is not, and that byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        with _open_bytes(path) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        # the decoder holds back at most 3 bytes of an unfinished sequence from earlier chunks
        return max(offset + error.start, 0), error.object[error.start]
    except (OSError, EOFError) as error:
        raise LandingError(f"{path}: cannot be read ({error})") from error
    return None


def _decode_to(path: Path, codec: str, copy: Path) -> bool:
    """Write the file's text, decoded with `codec`, to `copy` as UTF-8; False when a byte is
    undefined in that codec."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with _open_bytes(path) as source, copy.open("w", encoding="utf-8") as target:
            while chunk := source.read(CHUNK_BYTES):
                target.write(decoder.decode(chunk))
    except UnicodeDecodeError:
        return False
    return True


def _utf8_copy(context: LoadContext, path: Path, fault: tuple[int, int]) -> Path:
    """A UTF-8 copy of a file that is not UTF-8, written chunk by chunk, in the declared
    encoding, or else Windows-1252 (Latin-1 where Windows-1252 leaves a byte undefined).
    Decided for the whole file, so a fault answers the same wherever it sits in the file."""
    declared = context.options.encoding
    if declared == "utf-8":
        raise LandingError(
            f"{path}: not UTF-8 (byte 0x{fault[1]:02x} near byte {fault[0]:,});"
            " NYCKELTAL_LANDING_ENCODING=utf-8 accepts nothing else"
        )
    descriptor, name = tempfile.mkstemp(prefix="nyckeltal-landing-", suffix=".csv")
    os.close(descriptor)
    copy = Path(name)
    candidates = (
        [(ENCODINGS[declared], declared)]
        if ENCODINGS.get(declared)
        else [("cp1252", "windows-1252"), ("latin-1", "latin-1")]
    )
    for codec, label in candidates:
        if _decode_to(path, codec, copy):
            how = "declared" if ENCODINGS.get(declared) else "detected"
            context.notes.append(
                LandingNote(
                    "encoding",
                    str(path),
                    f"not UTF-8: read as {label} ({how})",
                    is_warning=how == "detected",
                )
            )
            return copy
    copy.unlink(missing_ok=True)
    raise LandingError(
        f"{path}: neither UTF-8 nor {declared} (a byte is undefined in {declared});"
        " check NYCKELTAL_LANDING_ENCODING"
    )


def load_csv(context: LoadContext, table: Table, path: Path) -> set[str]:
    fault = _utf8_error(path)
    if fault is None:
        return _load_utf8_csv(context.con, table, path, path)
    readable = _utf8_copy(context, path, fault)
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


# day, month and year with any of / . - between (either order of day and month), then
# optionally a time
_SLASH_DATE = r"^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})"
_ISO_DATE = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}"


def detect_date_format(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    columns: list[str],
    configured: str | None,
    setting: str,
) -> str:
    """How the file in `_landing_file` writes dates in `columns`: iso, dmy (DD/MM/YYYY …) or
    mdy (MM/DD/YYYY …), from the values. Mostly ISO (or no slash dates): iso. A file whose
    slash dates all have day and month <= 12 is ambiguous: `configured` decides, else the
    error names the file and `setting`."""
    if not columns:
        return configured or "iso"
    values = " union all ".join(
        f'select trim(cast("{column}" as varchar)) as value from _landing_file'
        for column in columns
    )
    iso, slash, day_first, month_first = con.execute(
        f"""
        with date_values as ({values})
        select
            count(*) filter (where regexp_matches(value, '{_ISO_DATE}')),
            count(*) filter (where regexp_matches(value, '{_SLASH_DATE}')),
            count(*) filter (
                where try_cast(regexp_extract(value, '{_SLASH_DATE}', 1) as integer) > 12
            ),
            count(*) filter (
                where try_cast(regexp_extract(value, '{_SLASH_DATE}', 2) as integer) > 12
            )
        from date_values
        """
    ).fetchall()[0]
    if slash == 0 or iso > slash:
        return "iso"
    if day_first and month_first:
        raise LandingError(
            f"{path}: mixes day-first and month-first dates ({day_first} values have a first"
            f" field above 12, {month_first} a second field above 12); export one format"
        )
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    if configured in ("dmy", "mdy"):
        return configured
    raise LandingError(
        f"{path}: date format is ambiguous (every date has day and month <= 12, so"
        f" DD/MM/YYYY and MM/DD/YYYY read differently); set {setting} to dmy or mdy"
    )


def _iso_dates(con: duckdb.DuckDBPyConnection, columns: list[str], date_format: str) -> None:
    """Rewrite the day-first or month-first dates of `_landing_file`'s text columns as ISO
    text (a date alone stays a date: local midnight). Values that do not parse stay as they
    are, for staging to quarantine."""
    day, month = ("%d", "%m") if date_format == "dmy" else ("%m", "%d")
    patterns = [f"{day}/{month}/%Y %H:%M:%S", f"{day}/{month}/%Y %H:%M", f"{day}/{month}/%Y"]
    types = dict(
        con.execute("select column_name, column_type from (describe _landing_file)").fetchall()
    )
    for column in columns:
        if types.get(column) != "VARCHAR":
            continue
        value = f'trim("{column}")'
        slashed = f"regexp_replace({value}, '{_SLASH_DATE}', '\\1/\\2/\\3')"
        parsed = f"try_strptime({slashed}, {patterns!r})"
        con.execute(
            f"""
            update _landing_file set "{column}" = coalesce(
                case
                    when regexp_matches({value}, '{_SLASH_DATE}\\s*$')
                        then strftime({parsed}, '%Y-%m-%d')
                    else strftime({parsed}, '%Y-%m-%d %H:%M:%S')
                end,
                "{column}")
            where regexp_matches({value}, '{_SLASH_DATE}')
            """
        )


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


def read_contract_file(context: LoadContext, table: Table, path: Path) -> tuple[set[str], int]:
    """read_landing_file, then the file's day-first or month-first dates as ISO text."""
    available, rejected = read_landing_file(context, table, path)
    dated = [column for column in table.date_columns if column in available]
    date_format = detect_date_format(
        context.con, path, dated, context.options.date_format, "NYCKELTAL_DATE_FORMAT"
    )
    if date_format != "iso":
        _iso_dates(context.con, dated, date_format)
        context.notes.append(
            LandingNote(
                "date_format",
                str(path),
                "dates read as " + ("DD/MM/YYYY" if date_format == "dmy" else "MM/DD/YYYY"),
                is_warning=False,
            )
        )
    return available, rejected


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


def _note_unknown(context: LoadContext, landing_dir: Path, loaded: list[LoadedTable]) -> None:
    for path in unknown_landing_files(landing_dir):
        context.notes.append(
            LandingNote("unknown_file", str(path), "no table of the contract: ignored")
        )
    for table in loaded:
        if table.ignored_columns:
            context.notes.append(
                LandingNote(
                    "unknown_columns",
                    str(table.source_file),
                    f"column(s) {', '.join(table.ignored_columns)} not in the contract: ignored",
                )
            )


def _write_notes(context: LoadContext) -> None:
    context.con.execute(
        "create or replace table raw._landing_notes (kind varchar, source_file varchar,"
        " detail varchar, is_warning boolean, _loaded_at timestamp)"
    )
    for note in context.notes:
        context.con.execute(
            "insert into raw._landing_notes values (?, ?, ?, ?, ?)",
            [note.kind, note.path, note.detail, note.is_warning, context.stamp],
        )


@dataclass
class LandingLoad:
    """What load_landing read: one entry per table, and the notes about its files."""

    tables: list[LoadedTable]
    notes: list[LandingNote]


def load_landing(
    build_path: Path,
    landing_dir: Path,
    loaded_at: datetime,
    options: ReadingOptions | None = None,
) -> LandingLoad:
    """(Re)create the raw schema of the build database from the landing folder."""
    from nyckeltal import servicenow  # imports this module: imported here, not at the top

    build_path.parent.mkdir(parents=True, exist_ok=True)
    loaded = []
    stamp = loaded_at.astimezone(UTC).replace(tzinfo=None)
    with duckdb.connect(str(build_path)) as con:
        context = LoadContext(con, stamp, options or ReadingOptions())
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
                available, file_rejected = read_contract_file(context, table, path)
                count += append_landing_file(context, table, available, path)
                rejected += file_rejected
                ignored |= available - set(table.columns)
            recorded = record_manifest(context, table.name, paths, count, rejected)
            loaded.append(replace(recorded, ignored_columns=tuple(sorted(ignored))))
        loaded.append(servicenow.load_exports(context, landing_dir))
        _note_unknown(context, landing_dir, loaded)
        _write_notes(context)
        con.execute("drop table if exists _landing_file")
    return LandingLoad(loaded, context.notes)


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
