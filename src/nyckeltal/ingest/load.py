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

from dataclasses import dataclass, replace
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
from nyckeltal.ingest.servicenow import SYSTEM_DIR, load_exports


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
    """What load_landing read: one entry per table, and the notes about its files."""

    tables: list[LoadedTable]
    notes: list[LandingNote]


def load_landing(
    build_path: Path,
    landing_dir: Path,
    loaded_at: datetime,
    options: ReadingOptions | None = None,
    config: dict[str, str] | None = None,
) -> LandingLoad:
    """(Re)create the raw schema of the build database from the landing folder; `config`:
    DuckDB settings for opening it (memory limit, spilling)."""
    build_path.parent.mkdir(parents=True, exist_ok=True)
    loaded = []
    stamp = loaded_at.astimezone(UTC).replace(tzinfo=None)
    with duckdb.connect(str(build_path), config=config or {}) as con:
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
        loaded.append(load_exports(context, landing_dir))
        _note_unknown(context, landing_dir, loaded)
        _write_notes(context)
        con.execute("drop table if exists _landing_file")
    return LandingLoad(loaded, context.notes)
