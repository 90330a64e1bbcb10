"""`nyckeltal explain`: the units listed reproduce the published value, numerator and
denominator; EX KPIs name no person; fct_kpi_units agrees with kpi_values for every KPI."""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from datetime import date

import pytest

from nyckeltal import cli
from nyckeltal.explain import ExplainError, parse_period


def _close(left: float, right: float) -> bool:
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", ("month", date(2026, 10, 1))),
        ("2026-W41", ("week", date(2026, 10, 5))),
        ("2026-Q3", ("quarter", date(2026, 7, 1))),
        ("2026-10-05", ("day", date(2026, 10, 5))),
    ],
)
def test_periods_parse(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-W54", "2026-Q5", "October", "2026-02-30"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ExplainError, match="period"):
        parse_period(text)


def _explain_json(warehouse, monkeypatch, capsys, *args: str) -> dict:
    monkeypatch.setenv("NYCKELTAL_PUBLISHED_PATH", str(warehouse.published))
    assert cli.main(["explain", *args, "--json"]) == cli.EXIT_OK
    return json.loads(capsys.readouterr().out)  # stdout holds only JSON


def _latest_published_month(warehouse, kpi_id: str, segment_type: str = "all") -> tuple:
    return warehouse.query(
        """
        select period_start, segment_value from kpi_values
        where kpi_id = ? and period_grain = 'month' and segment_type = ?
            and status = 'published'
        order by period_start desc, n desc limit 1
        """,
        [kpi_id, segment_type],
    )[0]


@pytest.mark.parametrize(
    ("kpi_id", "segment_type"),
    [("itsm_mttr", "all"), ("itsm_mttr", "team"), ("itsm_reopen_rate", "all")],
)
def test_units_reproduce_the_value(warehouse, monkeypatch, capsys, kpi_id, segment_type):
    start, segment_value = _latest_published_month(warehouse, kpi_id, segment_type)
    args = [kpi_id, f"{start:%Y-%m}"]
    if segment_type != "all":
        args += ["--segment", f"{segment_type}={segment_value}"]
    result = _explain_json(warehouse, monkeypatch, capsys, *args)
    row = result["row"]
    assert row["status"] == "published"
    units = result["units"]
    assert units and all(isinstance(unit["included"], bool) for unit in units)
    assert all(isinstance(unit["measure"], float) for unit in units)
    included = [unit["measure"] for unit in units if unit["included"]]
    assert len({unit["unit_id"] for unit in units}) == len(units)
    assert _close(sum(included) / len(included), row["value"])
    assert _close(sum(included), row["numerator"])
    assert len(included) == row["denominator"] == row["n"]
    if kpi_id == "itsm_reopen_rate":
        assert set(included) <= {0.0, 1.0}
    # the ids are the published tickets, and their measure is theirs (hours for MTTR)
    if kpi_id == "itsm_mttr":
        tickets = dict(
            warehouse.query(
                "select ticket_id, resolution_calendar_hours from fct_tickets"
                " where ticket_id in (select unnest(?))",
                [[unit["unit_id"] for unit in units]],
            )
        )
        assert all(_close(tickets[unit["unit_id"]], unit["measure"]) for unit in units)
    assert result["checks"] and all("check_status" in check for check in result["checks"])


def test_text_output_names_the_definition_and_the_units(warehouse, monkeypatch, capsys):
    start, _ = _latest_published_month(warehouse, "itsm_frt")
    monkeypatch.setenv("NYCKELTAL_PUBLISHED_PATH", str(warehouse.published))
    assert cli.main(["explain", "itsm_frt", f"{start:%Y-%m}"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "definition:" in out and "median of the included measures" in out
    assert "status: published" in out


def test_an_ex_kpi_names_no_person(warehouse, monkeypatch, capsys):
    start, _ = _latest_published_month(warehouse, "ex_esat")
    result = _explain_json(warehouse, monkeypatch, capsys, "ex_esat", f"{start:%Y-%m}")
    assert result["units"] is None and "never a person" in result["units_note"]
    text = json.dumps(result)
    people = warehouse.query_build(
        "select employee_id from staging.stg_contract__employees where employee_id is not null"
    )
    respondents = warehouse.query_build(
        "select respondent_id from staging.stg_contract__survey_responses"
        " where respondent_id is not null"
    )
    identifiers = {row[0] for row in people + respondents}
    assert identifiers
    assert not [person for person in identifiers if person in text]
    assert warehouse.query("select count(*) from fct_kpi_units where kpi_id like 'ex_%'") == [(0,)]


def test_unknown_kpi_period_and_segment_exit_2(warehouse, monkeypatch, capsys):
    monkeypatch.setenv("NYCKELTAL_PUBLISHED_PATH", str(warehouse.published))
    assert cli.main(["explain", "itsm_nope", "2026-10"]) == cli.EXIT_USAGE
    assert "unknown KPI 'itsm_nope'" in capsys.readouterr().err
    assert cli.main(["explain", "itsm_mttr", "1999-01"]) == cli.EXIT_USAGE
    assert "no itsm_mttr row for month 1999-01-01" in capsys.readouterr().err
    assert cli.main(["explain", "itsm_mttr", "2026-10", "--segment", "team"]) == cli.EXIT_USAGE
    assert "use TYPE=VALUE" in capsys.readouterr().err


def test_units_agree_with_kpi_values_for_every_itemised_kpi(warehouse):
    """For each itemised KPI and published month (segment all), the units in fct_kpi_units
    give the value (mean, median, or share of 1s), n and the numerator, computed here in
    Python."""
    statistic = dict(warehouse.query("select kpi_id, headline_statistic from kpi_catalog"))
    measures: dict[tuple, list[float]] = defaultdict(list)
    for kpi_id, period_grain, unit_date, measure, included in warehouse.query(
        "select kpi_id, period_grain, unit_date, measure, included from fct_kpi_units"
    ):
        if period_grain not in (None, "month"):
            continue
        key = (kpi_id, unit_date.replace(day=1))
        if included:
            measures[key].append(measure)
    rows = warehouse.query(
        """
        select kpi_id, period_start, value, n, numerator from kpi_values
        where period_grain = 'month' and segment_type = 'all' and status = 'published'
            and kpi_id in (select distinct kpi_id from fct_kpi_units)
        """
    )
    checked = set()
    for kpi_id, start, value, n, numerator in rows:
        values = measures[(kpi_id, start)]
        assert len(values) == n, (kpi_id, start)
        if statistic[kpi_id] == "median":
            assert _close(statistics.median(values), value), (kpi_id, start)
        else:
            assert _close(sum(values) / len(values), value), (kpi_id, start)
            assert _close(sum(values), numerator), (kpi_id, start)
        checked.add(kpi_id)
    assert len(checked) >= 15, checked
