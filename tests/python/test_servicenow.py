"""ServiceNow incident exports: a landing folder holding only exports publishes MTTR, reopen rate
and SLA compliance equal to ServiceNow's own fields; everything else is withheld with its reason.

The hand-written export (servicenow_fixture.py, expected figures derived by hand there) lands
in four copies: audit log and per-incident shapes, ISO and day-first dates, `?` nulls, lines out
of order, one unusable incident per copy."""

from __future__ import annotations

import csv
import gzip
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from servicenow_reference import monthly_units

from nyckeltal.ingest import LandingError, ReadingOptions, load_landing

from conftest import DATA_LAST_DATE, Warehouse, make_settings, run_checked
from servicenow_fixture import COPIES, EXPECTED, NET_HOURS_002, month_of, write_exports

SERVICENOW_KPIS = ("itsm_mttr", "itsm_reopen_rate", "itsm_sla_compliance")
LOCAL = ZoneInfo("Europe/Stockholm")


@pytest.fixture(scope="module")
def servicenow_only(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("servicenow")
    landing = root / "landing"
    write_exports(landing)
    settings = replace(
        make_settings(root, landing),
        # three incidents a month: below the catalogue's minimum samples
        extra_vars={"kpi_thresholds": {kpi: {"min_sample": 1} for kpi in SERVICENOW_KPIS}},
    )
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=None, summary=summary)


def _kpi(store: Warehouse, kpi_id: str, month: str) -> tuple:
    rows = store.query(
        "select numerator, denominator, value, status, reasons from kpi_values"
        " where kpi_id = ? and period_grain = 'month' and period_start = ?"
        " and segment_type = 'all'",
        [kpi_id, month],
    )
    assert len(rows) == 1, (kpi_id, month, rows)
    return rows[0]


@pytest.mark.parametrize("copy", [1, 2, 3, 4], ids=[name for name, *_ in COPIES])
@pytest.mark.parametrize("which", ["first", "second"])
def test_monthly_kpis_equal_servicenow_fields(servicenow_only, copy, which):
    month = month_of(copy, which)
    for kpi_id, key in zip(SERVICENOW_KPIS, ("mttr", "reopen", "sla"), strict=True):
        numerator, denominator = EXPECTED[which][key]
        got = _kpi(servicenow_only, kpi_id, month)
        assert got[:2] == (numerator, denominator), (kpi_id, month, got)
        assert got[2] == pytest.approx(numerator / denominator, abs=1e-12), (kpi_id, got)
        assert got[3] == "published", (kpi_id, month, got)


@pytest.mark.parametrize("copy", [1, 2, 3, 4])
@pytest.mark.parametrize("which", ["first", "second"])
def test_duration_mart_agrees(servicenow_only, copy, which):
    total, count = EXPECTED[which]["mttr"]
    rows = servicenow_only.query(
        "select n, mean_value from mart_itsm_durations where measure = 'resolution'"
        " and basis = 'calendar' and period_grain = 'month' and segment_type = 'all'"
        " and period_start = ?",
        [month_of(copy, which)],
    )
    assert rows == [(count, pytest.approx(total / count, abs=1e-12))]


def _ticket(store: Warehouse, number: str) -> dict:
    with duckdb.connect(str(store.published), read_only=True) as con:
        cursor = con.execute("select * from fct_tickets where source_ticket_id = ?", [number])
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1, number
    return dict(zip(names, rows[0], strict=True))


def test_net_resolution_time_needs_the_audit_log(servicenow_only):
    for copy, (_name, _months, shape, _format) in enumerate(COPIES, start=1):
        ticket = _ticket(servicenow_only, f"INC{copy}002")
        assert ticket["resolution_calendar_hours"] == pytest.approx(48.0)
        if shape == "audit_log":
            assert ticket["net_resolution_calendar_hours"] == pytest.approx(NET_HOURS_002)
        else:
            assert ticket["net_resolution_calendar_hours"] is None


def test_current_state_is_the_highest_sys_mod_count(servicenow_only):
    # audit logs are written newest line first: the first line read is the latest update
    reopened = _ticket(servicenow_only, "INC1003")
    assert reopened["status"] == "resolved"
    assert reopened["ticket_id"] == "servicenow:INC1003"
    assert reopened["source_system"] == "servicenow"
    assert (reopened["reopen_count"], reopened["reassignment_count"]) == (1, 1)
    assert reopened["is_reopened"]
    # ServiceNow attributes the reopen to the period of resolved_at
    assert reopened["first_resolved_at"] == reopened["last_resolved_at"]
    assert reopened["last_resolved_at"] == datetime(2026, 1, 22, 11, 0)  # 12:00 CET in UTC
    assert reopened["priority"] == "critical"
    planning = _ticket(servicenow_only, "INC1007")
    assert (planning["priority"], planning["status"]) == ("low", "closed")
    assert _ticket(servicenow_only, "INC1008")["is_excluded"]


def test_an_incident_never_resolved_is_backlog(servicenow_only):
    ticket = _ticket(servicenow_only, "INC1004")
    assert ticket["status"] == "on_hold"
    assert ticket["last_resolved_at"] is None
    assert ticket["sla_outcome"] == "running"
    backlog = dict(
        servicenow_only.query(
            "select period_start, open_backlog_count from mart_itsm_volumes"
            " where period_grain = 'month' and segment_type = 'all'"
            " and period_start in ('2026-01-01', '2026-02-01')"
        )
    )
    # end of January: 004 and 006 (resolved again only on 4 February); end of February: 004
    assert backlog == {date(2026, 1, 1): 2, date(2026, 2, 1): 1}


def test_response_kpis_are_not_available_from_the_export(servicenow_only):
    for kpi_id in ("itsm_frt", "itsm_afrt", "itsm_fcr", "itsm_avg_response_time", "ex_frt"):
        rows = servicenow_only.query(
            "select distinct status, value, reasons from kpi_values where kpi_id = ?", [kpi_id]
        )
        assert rows, kpi_id
        for status, value, reasons in rows:
            assert (status, value) == ("withheld", None), kpi_id
            assert "not available from source (ticket_conversation)" in reasons, kpi_id


def test_everything_else_is_withheld_as_not_available(servicenow_only):
    rows = servicenow_only.query(
        "select kpi_id, status, value, reasons from kpi_values where kpi_id not in (?, ?, ?)",
        list(SERVICENOW_KPIS),
    )
    assert {kpi_id for kpi_id, *_ in rows} >= {"cx_nps", "ex_esat", "ex_turnover", "itsm_csat"}
    for kpi_id, status, value, reasons in rows:
        assert (status, value) == ("withheld", None), kpi_id
        assert reasons.startswith("not_available: not available from source"), (kpi_id, reasons)
    # HR cells keep their counts hidden whatever the reason
    counts = servicenow_only.query(
        "select count(*) from kpi_values where kpi_id in"
        " ('ex_esat', 'ex_enps', 'ex_engagement', 'ex_turnover')"
        " and (n is not null or numerator is not null or denominator is not null)"
    )
    assert counts == [(0,)]


def test_unusable_rows_are_quarantined_and_counted(servicenow_only):
    accounting = servicenow_only.query_build(
        "select rows_in, staged_row_count, quarantined_row_count from"
        " marts.quality_row_accounting where source_table = 'servicenow_incident'"
    )
    lines = 0
    for path in sorted((servicenow_only.landing / "servicenow").iterdir()):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", newline="") as handle:
            lines += sum(1 for _ in csv.DictReader(handle))
    assert accounting == [(lines, lines - 4, 4)]
    reasons = servicenow_only.query_build(
        "select quarantine_reason, count(*) from intermediate.int_quarantined_rows"
        " where source_table = 'servicenow_incident' group by 1 order by 1"
    )
    assert reasons == [("unknown or missing incident_state", 1), ("unparseable opened_at", 3)]


def test_person_names_never_reach_the_published_database(servicenow_only):
    with duckdb.connect(str(servicenow_only.published), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns"
            " where data_type = 'VARCHAR'"
        ).fetchall()
        for table, column in columns:
            hits = con.execute(
                f'select count(*) from "{table}" where "{column}" similar to'
                " '.*(Caller|Resolver|Opened by) [0-9].*'"
            ).fetchall()[0][0]
            assert hits == 0, (table, column)


# ---- the loader: shapes and date formats --------------------------------------------------


def _export(folder: Path, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _loaded(tmp_path: Path, configured: str | None = None) -> list[tuple]:
    build = tmp_path / "build.duckdb"
    load_landing(
        build,
        tmp_path / "landing",
        datetime(2026, 11, 26),
        ReadingOptions(servicenow_date_format=configured),
    )
    with duckdb.connect(str(build), read_only=True) as con:
        return con.execute(
            "select distinct _source_file, _date_format, _export_shape"
            " from raw.servicenow_incident order by 1"
        ).fetchall()


def test_date_format_and_shape_are_detected_per_file(tmp_path):
    folder = tmp_path / "landing" / "servicenow"
    day_first = _export(
        folder,
        "a.csv",
        [
            {"number": "INC1", "sys_mod_count": "0", "opened_at": "03/04/2026 10:00"},
            {"number": "INC1", "sys_mod_count": "1", "opened_at": "25/04/2026 10:00"},
        ],
    )
    month_first = _export(folder, "b.csv", [{"number": "INC2", "opened_at": "04/25/2026 10:00"}])
    iso = _export(folder, "c.csv", [{"number": "INC3", "sys_updated_on": "2026-04-03 10:00:00"}])
    assert _loaded(tmp_path) == [
        (str(day_first), "dmy", "audit_log"),
        (str(month_first), "mdy", "per_incident"),
        (str(iso), "iso", "per_incident"),
    ]


def test_parquet_and_gzip_exports_load(tmp_path):
    folder = tmp_path / "landing" / "servicenow"
    folder.mkdir(parents=True)
    parquet, gzipped = folder / "incident.parquet", folder / "older.csv.gz"
    with duckdb.connect() as con:
        con.execute(
            "copy (select 'INC1' as number, 3 as sys_mod_count,"
            " timestamp '2026-04-03 10:00:00' as sys_updated_on, true as made_sla)"
            f" to '{parquet}' (format parquet)"
        )
    with gzip.open(gzipped, "wt") as handle:
        handle.write("number,sys_updated_at\nINC1,25/04/2026 10:00\n")
    assert _loaded(tmp_path) == [
        (str(parquet), "iso", "per_incident"),
        (str(gzipped), "dmy", "per_incident"),
    ]


def test_a_list_export_with_column_labels_loads(tmp_path):
    folder = tmp_path / "landing" / "servicenow"
    folder.mkdir(parents=True)
    (folder / "incident.csv").write_text(
        '\ufeff"Number","State","Priority","Opened","Resolved","Channel","Updates","Made SLA"\n'
        '"INC1","Resolved","4 - Low","2026-04-03 10:00:00","2026-04-03 12:00:00","Phone","3",'
        '"true"\n',
        encoding="utf-8",
    )
    load_landing(tmp_path / "build.duckdb", tmp_path / "landing", datetime(2026, 11, 26))
    with duckdb.connect(str(tmp_path / "build.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select number, state, opened_at, resolved_at, contact_type, sys_mod_count,"
            " made_sla from raw.servicenow_incident"
        ).fetchall()
    assert rows == [
        ("INC1", "Resolved", "2026-04-03 10:00:00", "2026-04-03 12:00:00", "Phone", "3", "true")
    ]


def test_an_ambiguous_file_fails_unless_a_format_is_configured(tmp_path):
    folder = tmp_path / "landing" / "servicenow"
    path = _export(folder, "export.csv", [{"number": "INC1", "opened_at": "03/04/2026 10:00"}])
    with pytest.raises(LandingError) as failure:
        _loaded(tmp_path)
    assert str(path) in str(failure.value)
    assert "NYCKELTAL_SERVICENOW_DATE_FORMAT" in str(failure.value)
    assert _loaded(tmp_path, "dmy") == [(str(path), "dmy", "per_incident")]


def test_a_file_mixing_day_first_and_month_first_fails(tmp_path):
    folder = tmp_path / "landing" / "servicenow"
    _export(
        folder,
        "mixed.csv",
        [
            {"number": "INC1", "opened_at": "25/04/2026 10:00"},
            {"number": "INC2", "opened_at": "04/25/2026 10:00"},
        ],
    )
    with pytest.raises(LandingError, match="mixes day-first and month-first"):
        _loaded(tmp_path, "dmy")


# ---- a generated audit log, next to the contract's files -----------------------------------


@pytest.fixture(scope="module")
def mixed(warehouse, itsm_reference, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    from nyckeltal.generate.servicenow import generate_servicenow

    root = tmp_path_factory.mktemp("mixed")
    landing = root / "landing"
    shutil.copytree(warehouse.landing, landing)
    export = generate_servicenow(landing, incidents=3000, seed=7, last_date=DATA_LAST_DATE)
    settings = make_settings(root, landing)
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=None, summary=summary), export.path


@pytest.mark.parametrize("kpi_id", SERVICENOW_KPIS)
def test_contract_and_servicenow_build_together(mixed, itsm_reference, kpi_id):
    store, export = mixed
    servicenow = monthly_units(export)[kpi_id]
    contract = itsm_reference.monthly(kpi_id)
    months = {month for month, segment in contract if segment == "all"} | set(servicenow)
    checked = 0
    for month in sorted(months):
        # SLA clocks still running at the data's end depend on the newest event of all sources
        if kpi_id == "itsm_sla_compliance" and month >= date(2026, 11, 1):
            continue
        n_contract, value_contract = contract.get((month, "all"), (0, None))
        values = servicenow.get(month, [])
        n = n_contract + len(values)
        total = (n_contract * value_contract if n_contract else 0.0) + float(sum(values))
        rows = store.query(
            "select n, value, numerator, denominator, status from kpi_values"
            " where kpi_id = ? and period_grain = 'month' and segment_type = 'all'"
            " and period_start = ?",
            [kpi_id, month],
        )
        assert len(rows) == 1, (kpi_id, month)
        got_n, _value, numerator, denominator, status = rows[0]
        assert got_n == n, (kpi_id, month)
        if status == "withheld":
            # e.g. freshness: the export stops before the month's look-ahead ends
            assert numerator is None and denominator is None
            continue
        assert denominator == pytest.approx(n), (kpi_id, month)
        assert numerator == pytest.approx(total, rel=1e-9, abs=1e-9), (kpi_id, month)
        checked += 1
    assert checked >= 20


def test_ticket_ids_carry_their_source(mixed):
    store, _export = mixed
    rows = store.query(
        "select source_system, count(*), count(distinct ticket_id),"
        " bool_and(ticket_id = case when source_system = 'servicenow'"
        " then 'servicenow:' || source_ticket_id else source_ticket_id end)"
        " from fct_tickets group by 1 order by 1"
    )
    assert [row[0] for row in rows] == ["contract", "servicenow"]
    assert all(count == distinct and namespaced for _, count, distinct, namespaced in rows)
    assert rows[1][1] == 3000
