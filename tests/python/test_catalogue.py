"""The KPI catalogue is SMART and the targets seed users edit is checked row by row."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from nyckeltal import cli
from nyckeltal.targets import TargetsError, check_target_segments, read_targets

from conftest import PROJECT_DIR

SMART_FIELDS = (
    "name_en",
    "name_sv",
    "family",
    "kpi_type",
    "definition",
    "formula",
    "unit",
    "direction",
    "owner_role",
    "measurement_period",
    "baseline_period",
    "target_date",
    "benchmark",
    "benchmark_source",
)
HEADER = "kpi_id,segment_type,segment_value,valid_from,valid_to,target_operator,target_value,note"


def test_every_published_kpi_has_a_smart_catalogue_entry(warehouse):
    published = {row[0] for row in warehouse.query("select distinct kpi_id from kpi_values")}
    names = ("kpi_id", *SMART_FIELDS, "target_value", "no_target_reason")
    catalog = {
        row[0]: dict(zip(names, row, strict=True))
        for row in warehouse.query(f"select {', '.join(names)} from kpi_catalog")
    }
    assert published, "nothing published"
    assert published <= set(catalog), published - set(catalog)
    for kpi_id in published:
        entry = catalog[kpi_id]
        missing = [name for name in SMART_FIELDS if entry[name] in (None, "")]
        assert not missing, (kpi_id, missing)
        # achievable and time-bound: a target (or why there is none) and a date to meet it by
        assert entry["target_value"] is not None or entry["no_target_reason"], kpi_id
        assert isinstance(entry["target_date"], date), kpi_id
        assert entry["measurement_period"] in ("day", "week", "month", "quarter"), kpi_id
        assert entry["baseline_period"] == "first_published_quarter" or re.fullmatch(
            r"\d{4}-Q[1-4]", entry["baseline_period"]
        ), kpi_id


def test_baseline_is_the_first_published_quarter(warehouse):
    rows = warehouse.query(
        """
        select kpi_id, baseline_period_start, baseline_value, baseline_status
        from kpi_catalog where baseline_period = 'first_published_quarter'
        """
    )
    assert rows
    for kpi_id, start, value, status in rows:
        first = warehouse.query(
            """
            select period_start, value from kpi_values
            where kpi_id = ? and period_grain = 'quarter' and segment_type = 'all'
                and status = 'published'
            order by period_start limit 1
            """,
            [kpi_id],
        )
        if not first:
            assert (start, value, status) == (None, None, "not_available"), kpi_id
        else:
            assert (start, value, status) == (first[0][0], first[0][1], "published"), kpi_id


def test_kpi_values_target_reads_the_targets_seed(warehouse):
    """The default seed: critical tickets' FRT target is 0.25 h; the enterprise segment's CSAT
    target is 0.9 in 2026 only; FCR's target is 0.75 from July 2026; elsewhere the
    catalogue's."""

    def target(kpi_id: str, segment_type: str, segment_value: str, start: str) -> float:
        return warehouse.query(
            """
            select target from kpi_values where kpi_id = ? and period_grain = 'month'
                and segment_type = ? and segment_value = ? and period_start = ?
            """,
            [kpi_id, segment_type, segment_value, start],
        )[0][0]

    assert target("itsm_frt", "priority", "critical", "2026-03-01") == 0.25
    assert target("itsm_frt", "priority", "medium", "2026-03-01") == 1.0
    assert target("itsm_frt", "all", "all", "2026-03-01") == 1.0
    assert target("cx_csat", "customer_segment", "enterprise", "2026-03-01") == 0.9
    assert target("cx_csat", "customer_segment", "enterprise", "2025-12-01") == 0.85
    assert target("cx_csat", "customer_segment", "smb", "2026-03-01") == 0.85
    assert target("itsm_fcr", "all", "all", "2026-06-01") == 0.7
    assert target("itsm_fcr", "all", "all", "2026-07-01") == 0.75
    assert target("itsm_fcr", "team", "it_l1", "2026-07-01") == 0.75
    met = warehouse.query(
        """
        select count(*) from kpi_values
        where kpi_id = 'itsm_frt' and segment_value = 'critical' and status <> 'withheld'
            and target_met is distinct from (value <= 0.25)
        """
    )[0][0]
    assert met == 0


def _project(tmp_path: Path, rows: list[str]) -> Path:
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    shutil.copyfile(PROJECT_DIR / "dbt_project.yml", project / "dbt_project.yml")
    shutil.copyfile(
        PROJECT_DIR / "seeds" / "kpi_catalog.csv", project / "seeds" / "kpi_catalog.csv"
    )
    (project / "seeds" / "kpi_targets.csv").write_text(
        "\n".join([HEADER, *rows]) + "\n", encoding="utf-8"
    )
    return project


def test_the_shipped_targets_seed_is_valid(warehouse):
    rows = read_targets(PROJECT_DIR)
    assert rows
    check_target_segments(PROJECT_DIR, warehouse.settings.build_path)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("itsm_nope,,,,,<=,1,", "line 3: unknown KPI 'itsm_nope'"),
        ("itsm_frt,,,,,<,1,", "line 3: unknown operator '<'"),
        ("itsm_frt,,,,,<=,fast,", "line 3: target_value 'fast' is not a number"),
        ("itsm_frt,,,,,<=,nan,", "line 3: target_value 'nan' is not a number"),
        ("itsm_frt,priority,,,,<=,1,", "line 3: give both segment_type and segment_value"),
        ("itsm_frt,,,2026-13-01,,<=,1,", "line 3: valid_from '2026-13-01' is not a date"),
        ("itsm_frt,,,2026-06-01,2026-01-01,<=,1,", "line 3: valid_to is before valid_from"),
        ("itsm_frt,,,2026-01-01,,<=,1,", "line 3: same KPI, segment and valid_from as line 2"),
        ("itsm_frt,,,,,<=", "line 3: expected 8 fields"),
    ],
)
def test_a_bad_target_row_is_named(tmp_path, row, message):
    project = _project(tmp_path, ["itsm_frt,,,2026-01-01,,<=,2,", row])
    with pytest.raises(TargetsError, match=re.escape(message)):
        read_targets(project)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("itsm_frt,department,HR,,,<=,1,", "itsm_frt has no segment type 'department'"),
        ("itsm_frt,priority,urgent,,,<=,1,", "no priority 'urgent' in the data"),
    ],
)
def test_an_unknown_segment_is_named(warehouse, tmp_path, row, message):
    project = _project(tmp_path, [row])
    with pytest.raises(TargetsError, match=f"line 2: {re.escape(message)}"):
        check_target_segments(project, warehouse.settings.build_path)


def test_a_bad_targets_seed_fails_the_run_before_anything_is_touched(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path, ["cx_nps,,,,,==,30,"])
    warehouse = tmp_path / "warehouse"
    monkeypatch.setenv("NYCKELTAL_PROJECT_DIR", str(project))
    monkeypatch.setenv("NYCKELTAL_WAREHOUSE_DIR", str(warehouse))
    monkeypatch.setenv("NYCKELTAL_LANDING", str(tmp_path / "landing"))
    code = cli.main(["run"])
    assert code == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert "kpi_targets.csv line 2: unknown operator '=='" in error
    assert not (tmp_path / "landing").exists() or not any((tmp_path / "landing").iterdir())
    assert not (warehouse / "published.duckdb").exists()
