"""One home per registry: the landed tables are declared once, in the sources YAML; what is
derived from it is current, and no other file lists them by hand."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from nyckeltal.registry import derived_files, landed_tables

PROJECT_DIR = Path(__file__).resolve().parents[2]
REGISTRY = "models/staging/contract/_contract__sources.yml"
# the three files allowed to name ten or more landed tables: the registry, the KPI catalogue
# (each KPI's required sources) and the generator (what it writes per table)
ALLOWED = {REGISTRY, "seeds/kpi_catalog.csv", "src/nyckeltal/generate/__init__.py"}


def test_files_derived_from_the_registry_are_current():
    """dbt_project.yml's landed_models var and docs/landing.md: run scripts/registry.py."""
    for path, text in derived_files(PROJECT_DIR).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run .venv/bin/python scripts/registry.py"
        )


def test_every_landed_table_has_its_staging_and_checked_model():
    models = {path.stem: path for path in (PROJECT_DIR / "models").rglob("*.sql")}
    tables = landed_tables()
    assert len(tables) == 18
    for table in tables:
        assert table.checked_model in models, table.name
        assert table.key, table.name
        if table.source == "landing":
            staging = models[f"stg_contract__{table.name}"].read_text(encoding="utf-8")
            reads = (f"source('landing', '{table.name}')", f"landing_or_seed('{table.name}'")
            assert any(read in staging for read in reads), table.name
            assert table.columns and set(table.optional) <= set(table.columns), table.name


def _tracked_files_naming_many_tables() -> dict[str, int]:
    names = [table.name for table in landed_tables()]
    files = subprocess.run(
        ["git", "ls-files", "src", "models", "macros", "seeds", "scripts"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    counts = {}
    for name in files:
        path = PROJECT_DIR / name
        if not path.is_file() or path.suffix not in (".py", ".sql", ".yml", ".csv", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        found = sum(
            1 for table in names if re.search(rf"(?<![A-Za-z0-9_]){table}(?![A-Za-z0-9_])", text)
        )
        if found >= 10:
            counts[name] = found
    return counts


def test_no_file_but_the_registry_lists_the_landed_tables():
    counts = _tracked_files_naming_many_tables()
    assert set(counts) <= ALLOWED, counts
    assert REGISTRY in counts


def _catalogue() -> list[dict[str, str]]:
    import csv

    with (PROJECT_DIR / "seeds" / "kpi_catalog.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_catalogue_kpi_has_its_model_and_documentation_and_nothing_else_does():
    ids = {row["kpi_id"] for row in _catalogue()}
    folder = PROJECT_DIR / "models" / "marts" / "kpi"
    # besides one model per KPI: the union of their rows and the units behind them
    shared = {"values", "units"}
    models = {path.stem.removeprefix("fct_kpi_") for path in folder.glob("fct_kpi_*.sql")}
    assert models - shared == ids
    documented = set(
        re.findall(r"- name: fct_kpi_(\w+)", (folder / "_kpi__models.yml").read_text("utf-8"))
    )
    assert documented - shared == ids
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- kpi-list: ", 1)[1].split("<!-- end of kpi-list -->", 1)[0]
    assert set(re.findall(r"\b(?:itsm|ex|cx)_[a-z_]+[a-z]\b", listed)) == ids


def test_privacy_kpis_are_a_catalogue_column_not_ids_in_sql():
    protected = {row["kpi_id"] for row in _catalogue() if row["privacy_group_size"]}
    assert protected == {"ex_esat", "ex_enps", "ex_engagement", "ex_turnover"}
    status = (PROJECT_DIR / "models" / "marts" / "kpi" / "kpi_values.sql").read_text("utf-8")
    assert not re.search(r"'(?:itsm|ex|cx)_[a-z_]+'", status)


FORMULA_WORDS = {"in", "distinct"}


def formula_columns(formula: str) -> set[str]:
    """The column names a catalogue formula uses: identifiers outside quotes, not functions."""
    unquoted = re.sub(r"'[^']*'", " ", formula)
    return {
        match.group(1)
        for match in re.finditer(r"\b([a-z_][a-z0-9_]*)\b(?!\s*\()", unquoted)
        if match.group(1) not in FORMULA_WORDS
    }


def test_formula_columns_are_found_by_name():
    assert formula_columns("count_if(sla_outcome = 'met') / count(distinct user_id)") == {
        "sla_outcome",
        "user_id",
    }


def test_catalogue_formulas_name_columns_of_the_models(warehouse):
    """Every column a formula names is a column of a built relation, or is defined (`as
    name`) in the KPI's own model or in the macro defining the units of the KPIs built on
    units (kpi_units)."""
    columns = {row[0] for row in warehouse.query_build("select column_name from duckdb_columns()")}
    folder = PROJECT_DIR / "models" / "marts" / "kpi"
    units = (PROJECT_DIR / "macros" / "kpi" / "kpi_units.sql").read_text(encoding="utf-8")
    for row in _catalogue():
        model = (folder / f"fct_kpi_{row['kpi_id']}.sql").read_text(encoding="utf-8")
        if "kpi_units(" in model:
            model += units
        defined = set(re.findall(r"\bas ([a-z_][a-z0-9_]*)", model))
        unknown = formula_columns(row["formula"]) - columns - defined
        assert not unknown, (row["kpi_id"], unknown)


MACRO_RETURNS = {
    "expression",
    "condition",
    "query",
    "CTEs",
    "list",
    "dict",
    "schema name",
    "value",
    "statement",
}


def test_every_macro_has_its_contract_in_macros_yml():
    """macros/_macros.yml: each macro (adapter implementations aside) with a description,
    what it returns, and its arguments by the names of its signature."""
    import yaml

    documented = {
        entry["name"]: entry
        for entry in yaml.safe_load((PROJECT_DIR / "macros" / "_macros.yml").read_text("utf-8"))[
            "macros"
        ]
    }
    signatures = {}
    for path in (PROJECT_DIR / "macros").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        for name, arguments in re.findall(r"\{%-?\s*macro\s+(\w+)\(([^)]*)\)", text):
            if not name.startswith(("default__", "duckdb__")):
                signatures[name] = [
                    part.split("=")[0].strip() for part in arguments.split(",") if part.strip()
                ]
    assert set(documented) == set(signatures)
    for name, arguments in signatures.items():
        entry = documented[name]
        assert entry["description"].strip(), name
        assert entry["meta"]["returns"] in MACRO_RETURNS, name
        assert [argument["name"] for argument in entry.get("arguments", [])] == arguments, name
