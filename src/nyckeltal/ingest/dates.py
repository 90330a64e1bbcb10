"""A file's date format, detected from its values (ISO, day-first or month-first), and its
day-first or month-first dates rewritten as ISO text: staging then parses one format."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nyckeltal.ingest.files import LandingError

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


def iso_dates(con: duckdb.DuckDBPyConnection, columns: list[str], date_format: str) -> None:
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
