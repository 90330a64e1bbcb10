"""The source registry, read from the dbt sources YAML under `models/`: one declaration per
landed table (a source table whose meta names its `checked_model`). The loader's contract,
the quality suites' table list and docs/landing.md come from here; dbt reads the same
declarations from its graph."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nyckeltal.settings import find_project_dir


@dataclass(frozen=True)
class Table:
    """A landed table: its columns in contract order (those a file may omit in `optional`)."""

    name: str
    columns: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    is_reference: bool = False
    is_optional_table: bool = False
    source: str = "landing"
    description: str = ""
    column_types: dict[str, str] = field(default_factory=dict)
    checked_model: str = ""
    key: str = ""
    at: str | None = None
    watermark_kind: str = "snapshot"
    tolerance_hours: int | None = None
    plausible: dict[str, Any] = field(default_factory=dict)

    @property
    def date_columns(self) -> tuple[str, ...]:
        """Columns holding a date or a timestamp."""
        return tuple(
            column
            for column in self.columns
            if self.column_types.get(column) in ("date", "timestamp")
        )


def _meta(node: dict) -> dict:
    return (node.get("config") or {}).get("meta") or node.get("meta") or {}


def read_registry(project_dir: Path) -> tuple[Table, ...]:
    """Every landed table declared in the project's sources YAML, in file order."""
    tables = []
    for path in sorted((project_dir / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            for node in source.get("tables") or []:
                meta = _meta(node)
                if "checked_model" not in meta:
                    continue
                columns = node.get("columns") or []
                watermark = meta.get("watermark") or {}
                tables.append(
                    Table(
                        name=node.get("identifier") or node["name"],
                        columns=tuple(column["name"] for column in columns),
                        optional=frozenset(
                            column["name"] for column in columns if _meta(column).get("optional")
                        ),
                        is_reference=bool(meta.get("reference")),
                        is_optional_table=bool(meta.get("optional_table")),
                        source=source["name"],
                        description=" ".join(str(node.get("description", "")).split()),
                        column_types={
                            column["name"]: column.get("data_type", "text") for column in columns
                        },
                        checked_model=meta["checked_model"],
                        key=meta["key"],
                        at=meta.get("at"),
                        watermark_kind=watermark.get("kind", "snapshot"),
                        tolerance_hours=watermark.get("tolerance_hours"),
                        plausible=meta.get("plausible") or {},
                    )
                )
    return tuple(tables)


@functools.cache
def landed_tables() -> tuple[Table, ...]:
    """The registry of the project nyckeltal runs in (read once)."""
    return read_registry(find_project_dir())


# ---- files written from the registry (scripts/registry.py; a test fails when they are stale)

KPI_CATALOG = Path("seeds") / "kpi_catalog.csv"

LANDING_FORMATS = """\
## Files

- One file per table, named after it in any case (`tickets.csv`, `Tickets.CSV`), or several
  deliveries of the same columns in a folder named after the table (`tickets/2025.csv`,
  `tickets/2026.csv`), read in name order. A file no table reads, and a column no table has,
  is named in a warning and ignored.
- Daily deliveries: add each day's file to the table's folder under a name that sorts after the
  earlier ones (`tickets/tickets_2026-12-04.csv`) and leave the earlier files as they are. The
  next run reads only the new files and rebuilds only the tickets they touch; a file that
  changed, moved or disappeared makes that table read again and the build full. A ticket or
  event whose key an earlier delivery already had is quarantined as a duplicate: changes to a
  ticket arrive as events.
- CSV (`.csv`, or gzip-compressed `.csv.gz`) with a header row, `,` or `;` between fields,
  `"` quotes (quoted fields may hold newlines), an optional byte-order mark; or Parquet.
- Encoding: UTF-8. A file that is not is read as Windows-1252 (Latin-1 where Windows-1252
  leaves a byte undefined) with a warning; `NYCKELTAL_LANDING_ENCODING` declares it.
- Header names match in any case, with surrounding spaces ignored; column order is free.
  Required columns must be present; optional ones may be left out (they are then empty).
- Empty fields are missing values. A line that cannot be split into the header's fields is
  quarantined as a malformed line, never dropped; a file that cannot be read at all stops the
  run naming it, and the last publication stays as it was.

## Values

| type | written as |
|---|---|
| text | anything; surrounding spaces are trimmed |
| timestamp | ISO 8601: `2025-01-02 14:30[:00]` or `2025-01-02T14:30:00`, offset optional |
| date | `2025-01-02` (or day-first / month-first as above) |
| time | `08:00` |
| integer, number | `1234`, `1234.5` or `1234,5` (decimal comma), no thousands separators |
| boolean | `true`/`false`, `1`/`0`, `yes`/`no`, `ja`/`nej` |

A timestamp with an offset (`Z`, `+01:00`) is exact; without one it is local time in the
source time zone (`NYCKELTAL_SOURCE_TIMEZONE`), and a date alone is local midnight there.
Day-first (`02/01/2025 14:30`) and month-first (`01/02/2025 14:30`) dates and timestamps are
detected per file; a file in which every date has day and month <= 12 needs
`NYCKELTAL_DATE_FORMAT` (`dmy` or `mdy`).

Rows with a missing required value, an unparseable or implausible value (outside the bounds
below), or a duplicate key are quarantined with their reason; rows in = rows staged + rows
quarantined, per table.
"""


def _identifiers(expression: str) -> list[str]:
    """The column names in a key expression (`calendar_id || ' ' || cast(day as varchar)`)."""
    without_strings = re.sub(r"'[^']*'", " ", expression)
    words = re.findall(r"[a-z_][a-z0-9_]*", without_strings)
    return [word for word in words if word not in ("cast", "as", "varchar")]


def kpi_catalogue(project_dir: Path) -> list[dict[str, str]]:
    """The rows of the KPI catalogue (the KPI registry), in order."""
    with (project_dir / KPI_CATALOG).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def kpi_models(project_dir: Path) -> list[str]:
    """The per-KPI models, one per row of the KPI catalogue."""
    return [f"fct_kpi_{row['kpi_id']}" for row in kpi_catalogue(project_dir)]


def _with_block(text: str, name: str, lines: list[str]) -> str:
    """Markdown text with the lines between `<!-- name: … -->` and `<!-- end of name -->`
    replaced."""
    start = text.index(f"<!-- {name}: ")
    start = text.index("\n", start) + 1
    end = text.index(f"<!-- end of {name} -->")
    return text[:start] + "".join(f"{line}\n" for line in lines) + text[end:]


def readme_kpi_list(project_dir: Path) -> list[str]:
    """The README's list of KPIs by family: id and English name, from the catalogue."""
    families: dict[str, list[str]] = {}
    for row in kpi_catalogue(project_dir):
        families.setdefault(row["family"], []).append(f"{row['kpi_id']} ({row['name_en']})")
    lines = []
    for family, kpis in families.items():
        label = family if family.isupper() else family.replace("_", " ").capitalize()
        text = f"- **{label}** ({len(kpis)}): " + ", ".join(kpis) + "."
        words, line = text.split(" "), ""
        for word in words:
            if line and len(line) + 1 + len(word) > 100:
                lines.append(line)
                line = "  " + word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def _with_var(text: str, name: str, origin: str, items: list[str]) -> str:
    """dbt_project.yml with its vars block `name` (a list dbt needs while parsing, before its
    graph holds the sources' meta or the seeds' rows) replaced, or added after `vars:`."""
    start = f"  # {name}: written by scripts/registry.py from {origin}; do not edit\n"
    end = f"  # end of {name}\n"
    block = start + f"  {name}:\n" + "".join(f"    - {item}\n" for item in items) + end
    if start in text and end in text:
        before, rest = text.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    before, after = text.split("vars:\n", 1)
    return before + "vars:\n" + block + after


def landing_doc(tables: tuple[Table, ...], project_vars: dict[str, Any]) -> str:
    """docs/landing.md: the landing contract for users, from the registry (and the project's
    vars for the plausible window)."""
    first_dates = {
        "timestamps": project_vars["plausible_first_date"],
        "history_timestamps": project_vars["plausible_history_first_date"],
    }
    years = project_vars["plausible_years_ahead"]
    ahead = "one year" if years == 1 else f"{years} years"
    lines = [
        "# The landing contract",
        "",
        "<!-- written by scripts/registry.py from the source registry"
        " (models/staging/contract/_contract__sources.yml); do not edit -->",
        "",
        "What `nyckeltal run` reads from the landing folder (`landing/`, or `--landing DIR`).",
        "Every table is optional: a KPI whose sources are missing is withheld as not available.",
        "",
        LANDING_FORMATS,
        "## Tables",
        "",
    ]
    for table in tables:
        if table.source != "landing":
            continue
        kind = (
            "reference data (replaces the seed of the same name)"
            if table.is_reference
            else f"{table.watermark_kind} source"
            + (
                f", stale after {table.tolerance_hours} hours"
                if table.tolerance_hours is not None
                else ""
            )
        )

        def named(column: str, table: Table = table) -> str:
            # keys and bounds name the staged column, which may be renamed from the file's
            return f"`{column}`" + ("" if column in table.columns else " (as staged)")

        lines += [
            f"### {table.name}",
            "",
            table.description,
            "",
            "- Key: " + ", ".join(named(column) for column in _identifiers(table.key)),
            f"- Kind: {kind}",
        ]
        bounds = [
            f"{named(column)} from {first_dates[kind_]} to {ahead} after the run"
            for kind_ in ("timestamps", "history_timestamps")
            for column in table.plausible.get(kind_, [])
        ] + [
            f"{named(column)} from {low:g} to {high:g}"
            for column, (low, high) in table.plausible.get("ranges", {}).items()
        ]
        if bounds:
            lines.append("- Plausible values: " + "; ".join(bounds))
        lines += ["", "| column | type | required |", "|---|---|---|"]
        lines += [
            f"| `{column}` | {table.column_types.get(column, 'text')} |"
            f" {'no' if column in table.optional else 'yes'} |"
            for column in table.columns
        ]
        lines.append("")
    lines += [
        "## System exports",
        "",
        "ServiceNow incident exports go in `landing/servicenow/` (any file names): see the",
        "README's section on ServiceNow incident exports.",
        "",
    ]
    return "\n".join(lines)


def derived_files(project_dir: Path) -> dict[Path, str]:
    """The files written from the registry, with the text they should have."""
    tables = read_registry(project_dir)
    project = project_dir / "dbt_project.yml"
    text = project.read_text(encoding="utf-8")
    checked = [table.checked_model for table in tables]
    text = _with_var(text, "landed_models", "the source registry", checked)
    text = _with_var(text, "kpi_models", str(KPI_CATALOG), kpi_models(project_dir))
    readme = project_dir / "README.md"
    return {
        project: text,
        readme: _with_block(
            readme.read_text(encoding="utf-8"), "kpi-list", readme_kpi_list(project_dir)
        ),
        project_dir / "docs" / "landing.md": landing_doc(tables, yaml.safe_load(text)["vars"]),
    }
