"""Bad settings and folders are refused before any work: exit 2, one line naming the setting,
no traceback, and at most three lines of output in all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *arguments: str, **settings: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("NYCKELTAL_")
    }
    environment.update(
        {
            "NYCKELTAL_PROJECT_DIR": str(PROJECT_DIR),
            "NYCKELTAL_LANDING": str(tmp_path / "landing"),
            "NYCKELTAL_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
            "NYCKELTAL_PSEUDONYM_KEY": "k",
            **settings,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "nyckeltal.cli", "run", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NYCKELTAL_THREADS", "0"),
        ("NYCKELTAL_THREADS", "two"),
        ("NYCKELTAL_DBT_THREADS", "0"),
        ("NYCKELTAL_DBT_THREADS", "one"),
        ("NYCKELTAL_MEMORY_LIMIT", "lots"),
        ("NYCKELTAL_SOURCE_TIMEZONE", "Europe/Stokholm"),
        ("NYCKELTAL_REPORTING_TIMEZONE", "Mars/Olympus"),
        ("NYCKELTAL_SERVICENOW_TIMEZONE", "UTC+25"),
        ("NYCKELTAL_SERVICENOW_DATE_FORMAT", "ymd"),
        ("NYCKELTAL_DATE_FORMAT", "dd/mm/yyyy"),
        ("NYCKELTAL_LANDING_ENCODING", "ebcdic"),
        ("NYCKELTAL_AS_OF", "yesterday"),
        ("NYCKELTAL_MAX_QUARANTINED_SHARE", "half"),
        ("NYCKELTAL_CURRENCY", "kronor"),
    ],
)
def test_a_bad_setting_exits_2_with_one_line_naming_it(tmp_path, name, value):
    result = _run(tmp_path, **{name: value})
    assert result.returncode == 2, result.stderr
    output = (result.stdout + result.stderr).strip().splitlines()
    assert len(output) <= 3, output
    assert any(line.startswith("nyckeltal run: ") and f"{name}={value}" in line for line in output)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "landing").exists()  # no work was done


def test_a_warehouse_folder_that_cannot_be_created_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run(tmp_path, NYCKELTAL_WAREHOUSE_DIR=str(blocker / "warehouse"))
    assert result.returncode == 2, result.stderr
    assert f"NYCKELTAL_WAREHOUSE_DIR={blocker / 'warehouse'}: cannot write there" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_landing_path_that_is_a_file_exits_2(tmp_path):
    blocker = tmp_path / "landing.csv"
    blocker.write_text("x")
    result = _run(tmp_path, NYCKELTAL_LANDING=str(blocker))
    assert result.returncode == 2, result.stderr
    assert f"NYCKELTAL_LANDING={blocker}: not a readable folder" in result.stderr


def test_a_bad_as_of_option_exits_2(tmp_path):
    result = _run(tmp_path, "--as-of", "soon")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "nyckeltal run: --as-of=soon: use a date (YYYY-MM-DD) or an ISO time in UTC"
    )


def test_dbt_builds_as_many_models_at_once_as_it_is_told():
    """NYCKELTAL_DBT_THREADS (models at once) follows NYCKELTAL_THREADS unless given: 1 gives
    each model the whole memory limit and spill budget (xlarge needs it)."""
    from nyckeltal.settings import load_settings

    assert load_settings({"NYCKELTAL_THREADS": "3"}).dbt_env()["NYCKELTAL_DBT_THREADS"] == "3"
    settings = load_settings({"NYCKELTAL_THREADS": "2", "NYCKELTAL_DBT_THREADS": "1"})
    assert settings.dbt_env()["NYCKELTAL_DBT_THREADS"] == "1"
    assert settings.duckdb_config()["threads"] == "2"
