"""Load the landing folder into the build database's `raw` schema.

Every contract table becomes `raw.<table>`: the contract's columns as text, plus
`_row_number`, `_source_file` and `_loaded_at`.  Absent tables become empty tables of the
same shape, so every staging model builds.  CSV lines that cannot be split into the header's
columns are kept in `raw._load_rejects` (they are quarantined, never lost); a file that cannot
be read at all raises `LandingError` naming it.  Exports of real systems in sub-folders are
loaded by their adapters (`nyckeltal.ingest.servicenow` for `landing/servicenow/`).  What the
loader noticed is kept in `raw._landing_notes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from nyckeltal.ingest.contract import TABLES, Table
from nyckeltal.ingest.dates import detect_date_format, iso_dates
from nyckeltal.ingest.files import find_table_files, unlisted_files
from nyckeltal.ingest.notes import LandingNote
from nyckeltal.ingest.reader import (
    LoadContext,
    LoadedTable,
    ReadingOptions,
    append_landing_file,
    create_raw_table,
    read_landing_file,
    record_manifest,
)
from nyckeltal.ingest.servicenow import INCIDENT, SYSTEM_DIR, load_exports


def read_contract_file(context: LoadContext, table: Table, path: Path) -> tuple[set[str], int]:
    """read_landing_file, then the file's day-first or month-first dates as ISO text."""
    available, rejected = read_landing_file(context, table, path)
    dated = [column for column in table.date_columns if column in available]
    date_format = detect_date_format(
        context.con, path, dated, context.options.date_format, "NYCKELTAL_DATE_FORMAT"
    )
    if date_format != "iso":
        iso_dates(context.con, dated, date_format)
        context.notes.append(
            LandingNote(
                "date_format",
                str(path),
                "dates read as " + ("DD/MM/YYYY" if date_format == "dmy" else "MM/DD/YYYY"),
                is_warning=False,
            )
        )
    return available, rejected


def unknown_landing_files(landing_dir: Path) -> list[Path]:
    """Files and folders in the landing folder that no contract table or system adapter reads."""
    tables = [table.name for table in TABLES]
    return unlisted_files(landing_dir, tables, [SYSTEM_DIR])


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
    """What load_landing read: one entry per table, and the notes about its files.
    `reloaded`: the contract tables read again from their first file (all of them unless the
    load was incremental); `appended`: the tables of an incremental load that got new
    deliveries (their new rows carry this load's `_loaded_at`); `moved`: the tables of an
    incremental load with a kept file at a new path (its raw rows name the new path, rows built
    from them still the old one)."""

    tables: list[LoadedTable]
    notes: list[LandingNote]
    reloaded: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedFile:
    """One delivery file as raw._load_files records it: its path, what identifies it (name,
    size, modification time: a moved file is the same file) and what it yielded."""

    table_name: str
    source_file: str
    file_name: str
    file_size: int
    modified_ns: int
    row_count: int
    rejected_count: int
    # columns of the file that are not in the contract (comma-separated)
    ignored_columns: str = ""

    @property
    def identity(self) -> tuple[str, int, int]:
        return (self.file_name, self.file_size, self.modified_ns)


def _identity(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (path.name, stat.st_size, stat.st_mtime_ns)


def _previous_files(con: duckdb.DuckDBPyConnection) -> dict[str, list[LoadedFile]]:
    """The files of the previous load per table, in load order ({} when there was none)."""
    if not _raw_table_exists(con, "_load_files"):
        return {}
    previous: dict[str, list[LoadedFile]] = {}
    rows = con.execute(
        "select table_name, source_file, file_name, file_size, modified_ns, row_count,"
        " rejected_count, ignored_columns from raw._load_files order by table_name, file_order"
    ).fetchall()
    for row in rows:
        file = LoadedFile(*row)
        previous.setdefault(file.table_name, []).append(file)
    return previous


# notes about a file's content, kept with the file by an incremental load
FILE_NOTE_KINDS = ("encoding", "date_format")


def _previous_file_notes(con: duckdb.DuckDBPyConnection) -> dict[str, list[LandingNote]]:
    """The previous load's notes about files' content, by file."""
    if not _raw_table_exists(con, "_landing_notes"):
        return {}
    notes: dict[str, list[LandingNote]] = {}
    rows = con.execute(
        "select kind, source_file, detail, is_warning from raw._landing_notes"
        f" where kind in {FILE_NOTE_KINDS}"
    ).fetchall()
    for kind, path, detail, is_warning in rows:
        notes.setdefault(path, []).append(LandingNote(kind, path, detail, is_warning))
    return notes


def _raw_table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = ?",
            [name],
        ).fetchall()[0][0]
    )


def _kept_files(
    con: duckdb.DuckDBPyConnection, table: Table, old: list[LoadedFile], paths: list[Path]
) -> list[LoadedFile] | None:
    """The files of the previous load that an incremental load keeps: all of them when they
    are still there, unchanged and first (new deliveries sort after them, so row numbers run
    on as a full load would number them); None when the table must be read again. A kept
    file that moved (tickets.csv into tickets/) gets its new path in the lineage columns."""
    if not _raw_table_exists(con, table.name):
        return None
    identities = [_identity(path) for path in paths]
    if [file.identity for file in old] != identities[: len(old)]:
        return None
    kept = []
    for file, path in zip(old, paths, strict=False):
        if file.source_file != str(path):
            con.execute(
                f"update raw.{table.name} set _source_file = ? where _source_file = ?",
                [str(path), file.source_file],
            )
            con.execute(
                "update raw._load_rejects set source_file = ?"
                " where table_name = ? and source_file = ?",
                [str(path), table.name, file.source_file],
            )
        kept.append(replace(file, source_file=str(path)))
    return kept


def _write_files(con: duckdb.DuckDBPyConnection, files: list[LoadedFile]) -> None:
    con.execute(
        "create or replace table raw._load_files (table_name varchar, source_file varchar,"
        " file_name varchar, file_size bigint, modified_ns bigint, row_count bigint,"
        " rejected_count bigint, ignored_columns varchar, file_order integer)"
    )
    for order, file in enumerate(files):
        con.execute(
            "insert into raw._load_files values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*file.__dict__.values(), order],
        )


def load_landing(
    build_path: Path,
    landing_dir: Path,
    loaded_at: datetime,
    options: ReadingOptions | None = None,
    config: dict[str, str] | None = None,
    incremental: bool = False,
) -> LandingLoad:
    """(Re)create the raw schema of the build database from the landing folder; `config`:
    DuckDB settings for opening it (memory limit, spilling). `incremental`: keep what the
    previous load read from files that are still there unchanged, and read only the new
    deliveries (a table whose files changed otherwise is read again whole)."""
    build_path.parent.mkdir(parents=True, exist_ok=True)
    loaded = []
    stamp = loaded_at.astimezone(UTC).replace(tzinfo=None)
    with duckdb.connect(str(build_path), config=config or {}) as con:
        context = LoadContext(con, stamp, options or ReadingOptions())
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema if not exists raw")
        previous = _previous_files(con) if incremental else {}
        previous_notes = _previous_file_notes(con) if incremental else {}
        con.execute(
            "create or replace table raw._load_manifest (table_name varchar, source_file varchar,"
            " is_present boolean, row_count bigint, rejected_row_count bigint,"
            " loaded_at timestamp, file_modified_at timestamp)"
        )
        con.execute(
            f"create {'table if not exists' if incremental else 'or replace table'}"
            " raw._load_rejects (table_name varchar, source_file varchar,"
            " line_number bigint, error_type varchar, csv_line varchar, error_message varchar,"
            " _loaded_at timestamp)"
        )
        files: list[LoadedFile] = []
        reloaded, appended, moved = [], [], []
        for table in TABLES:
            paths = find_table_files(landing_dir, table.name)
            kept = (
                _kept_files(con, table, previous.get(table.name, []), paths)
                if incremental
                else None
            )
            if kept is None:
                create_raw_table(con, table)
                con.execute("delete from raw._load_rejects where table_name = ?", [table.name])
                kept = []
                if paths or previous.get(table.name):
                    reloaded.append(table.name)
            else:
                if len(paths) > len(kept):
                    appended.append(table.name)
                old_paths = [file.source_file for file in previous.get(table.name, [])]
                if old_paths != [file.source_file for file in kept]:
                    moved.append(table.name)
                for old_path, file in zip(old_paths, kept, strict=True):
                    context.notes += [
                        replace(note, path=file.source_file)
                        for note in previous_notes.get(old_path, [])
                    ]
            files += kept
            count = sum(file.row_count for file in kept)
            rejected = sum(file.rejected_count for file in kept)
            ignored = {name for file in kept for name in file.ignored_columns.split(",") if name}
            for path in paths[len(kept) :]:
                available, file_rejected = read_contract_file(context, table, path)
                file_rows = append_landing_file(context, table, available, path)
                count += file_rows
                rejected += file_rejected
                extra = available - set(table.columns)
                ignored |= extra
                files.append(
                    LoadedFile(
                        table.name,
                        str(path),
                        *_identity(path),
                        file_rows,
                        file_rejected,
                        ",".join(sorted(extra)),
                    )
                )
            recorded = record_manifest(context, table.name, paths, count, rejected)
            loaded.append(replace(recorded, ignored_columns=tuple(sorted(ignored))))
        # system exports are small beside the contract's event tables: read again each run
        con.execute("delete from raw._load_rejects where table_name = ?", [INCIDENT.name])
        loaded.append(load_exports(context, landing_dir))
        _write_files(con, files)
        _note_unknown(context, landing_dir, loaded)
        _write_notes(context)
        con.execute("drop table if exists _landing_file")
    return LandingLoad(loaded, context.notes, reloaded, appended, moved)
