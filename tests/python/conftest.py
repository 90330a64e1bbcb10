"""Session fixtures: warehouses built once from seeded generated data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from publication_rules import offences

from nyckeltal.generate import GenerateReport, generate_landing
from nyckeltal.pipeline import RunSummary, run_pipeline
from nyckeltal.settings import Settings, load_settings

SEED = 20250301
AS_OF = datetime(2026, 11, 16)
# the generated data end the day before AS_OF, on 2026-11-15 (the tests' dates count on it)
DATA_LAST_DATE = (AS_OF - timedelta(days=1)).date()
# a key with quotes and a backslash: it must work, and appear in no file the run writes
TEST_KEY = 'O\'Brien "s3cr3t" k\\ey-7f3a9'
PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Warehouse:
    settings: Settings
    report: GenerateReport
    summary: RunSummary

    @property
    def landing(self) -> Path:
        return self.settings.landing_dir

    @property
    def published(self) -> Path:
        return self.settings.published_path

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            return con.execute(sql, parameters or []).fetchall()

    def query_build(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.build_path), read_only=True) as con:
            return con.execute(sql).fetchall()


def make_settings(root: Path, landing: Path) -> Settings:
    os.environ.setdefault("NYCKELTAL_PROJECT_DIR", str(PROJECT_DIR))
    base = load_settings({"NYCKELTAL_PROJECT_DIR": str(PROJECT_DIR)})
    warehouse = root / "warehouse"
    return replace(
        base,
        landing_dir=landing,
        warehouse_dir=warehouse,
        published_path=warehouse / "published.duckdb",
        pseudonym_key=TEST_KEY,
        # the generated data end on 2026-11-15: judge freshness as on the next day
        as_of=AS_OF,
    )


def run_checked(
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    full_refresh: bool = False,
) -> RunSummary:
    """Run the pipeline, then hold its publication to the spec's rules (publication_rules):
    every pipeline the tests build is checked, whatever else its tests look at."""
    summary = run_pipeline(settings, progress or (lambda _message: None), full_refresh=full_refresh)
    found = offences(settings.published_path)
    assert not found, found
    return summary


def build(root: Path, scale: str, dirty: bool = False) -> Warehouse:
    landing = root / "landing"
    report = generate_landing(
        landing, PROJECT_DIR, scale=scale, seed=SEED, dirty=dirty, last_date=DATA_LAST_DATE
    )
    settings = make_settings(root, landing)
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=report, summary=summary)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build(tmp_path_factory.mktemp("clean"), "small")


@pytest.fixture(scope="session")
def dirty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build(tmp_path_factory.mktemp("dirty"), "3000", dirty=True)


DUCKDB14_VERSION = "1.4.0"


@pytest.fixture(scope="session")
def duckdb14_python() -> Path:
    """A separate environment with the DuckDB that BI drivers bundle (made once, then reused)."""
    folder = PROJECT_DIR / ".venv-duckdb14"
    python = folder / "bin" / "python"
    marker = folder / f".duckdb-{DUCKDB14_VERSION}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB14_VERSION}"],
            check=True,
        )
        marker.touch()
    return python


@pytest.fixture(scope="session")
def itsm_reference(warehouse):
    from itsm_reference import ItsmReference

    return ItsmReference(warehouse.landing)
