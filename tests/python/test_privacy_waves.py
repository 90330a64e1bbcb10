"""HR privacy with surveys in waves: a department with 3 respondents next to one with none in
the same period. No subtraction of published cells from `all` recovers fewer than 5 people, at
any grain; an empty cell never counts as the second suppressed cell; and the rule checker
itself fails on a publication that breaks it."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from publication_rules import offences

from conftest import Warehouse, make_settings, run_checked

# department -> (employees, location of each); answers per wave
DEPARTMENTS = {"A": 60, "B": 3, "C": 40}
WAVES = {date(2026, 3, 2): {"A": 40, "B": 3}, date(2026, 4, 6): {"A": 40, "C": 35}}


def _write_landing(landing: Path) -> None:
    landing.mkdir(parents=True)
    employees = []
    for department, count in DEPARTMENTS.items():
        for number in range(count):
            employees.append(
                {
                    "employee_id": f"{department}{number:03d}",
                    "department": department,
                    "location": "Stockholm" if number % 2 else "Göteborg",
                    "job_family": "IT",
                    "hire_date": "2020-01-01",
                    "termination_date": "",
                    "termination_reason": "",
                }
            )
    with (landing / "employees.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(employees[0]))
        writer.writeheader()
        writer.writerows(employees)
    answers = []
    for start, counts in WAVES.items():
        for department, count in counts.items():
            for number in range(count):
                day = start + timedelta(days=number % 5)
                for survey_type, score, low, high in (
                    ("enps", 5 + number % 6, 0, 10),
                    ("engagement", 1 + number % 5, 1, 5),
                ):
                    answers.append(
                        {
                            "response_id": f"{survey_type}-{start}-{department}{number}",
                            "survey_type": survey_type,
                            "respondent_type": "employee",
                            "respondent_id": f"{department}{number:03d}",
                            "ticket_id": "",
                            "responded_at": f"{day}T10:00:00+01:00",
                            "score": str(score),
                            "scale_min": str(low),
                            "scale_max": str(high),
                            "question_id": f"{survey_type}-1",
                        }
                    )
    with (landing / "survey_responses.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(answers[0]))
        writer.writeheader()
        writer.writerows(answers)


@pytest.fixture(scope="module")
def waves(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("waves")
    _write_landing(root / "landing")
    # judged the day after the second wave: April is still running (provisional)
    settings = replace(make_settings(root, root / "landing"), as_of=datetime(2026, 4, 11))
    # run_checked holds the publication to the residual rule at every grain
    summary = run_checked(settings)
    return Warehouse(settings=settings, report=None, summary=summary)


def _cells(store: Warehouse, kpi_id: str, month: date) -> dict[str, tuple]:
    rows = store.query(
        "select segment_value, status, n, reasons from kpi_values where kpi_id = ?"
        " and period_grain = 'month' and period_start = ?"
        " and segment_type in ('all', 'department')",
        [kpi_id, month],
    )
    return {value: (status, n, reasons) for value, status, n, reasons in rows}


@pytest.mark.parametrize("kpi_id", ["ex_enps", "ex_engagement"])
def test_three_respondents_beside_an_empty_department_stay_hidden(waves, kpi_id):
    march = _cells(waves, kpi_id, date(2026, 3, 1))
    assert march["all"][0] == "published" and march["all"][1] >= 43
    # B (3 people) is small; C answered nothing and protects nobody: A must be withheld too
    assert march["B"][0] == "withheld" and march["B"][1] is None
    assert march["A"][0] == "withheld" and march["A"][2].startswith("small_group")
    assert march["A"][1] is None


@pytest.mark.parametrize("kpi_id", ["ex_enps", "ex_engagement"])
def test_an_empty_cell_does_not_withhold_its_siblings(waves, kpi_id):
    april = _cells(waves, kpi_id, date(2026, 4, 1))
    assert april["A"][0] in ("published", "provisional"), april
    assert april["C"][0] in ("published", "provisional"), april


def test_the_rule_checker_fails_on_a_leaking_publication(tmp_path):
    path = tmp_path / "leaky.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create table kpi_values as select * from (values
                ('ex_enps', 'month', date '2026-03-01', 'all', 'all', 'published', 10.0, 43,
                    43.0, null, null),
                ('ex_enps', 'month', date '2026-03-01', 'department', 'A', 'published', 12.0,
                    40, 40.0, null, null),
                ('ex_enps', 'month', date '2026-03-01', 'department', 'B', 'withheld', null,
                    null, null, null, null),
                ('itsm_mttr', 'month', date '2026-03-01', 'all', 'all', 'withheld', null, 12,
                    30.0, null, 5.0),
                ('itsm_mttr', 'month', date '2026-04-01', 'all', 'all', 'published', 3.0, 40,
                    40.0, null, 4.0)
            ) as t (kpi_id, period_grain, period_start, segment_type, segment_value, status,
                value, n, denominator, numerator, previous_value)
            """
        )
        con.execute(
            "alter table kpi_values add column ci_low double;"
            " alter table kpi_values add column ci_high double;"
            " alter table kpi_values add column target_met boolean"
        )
    found = " | ".join(offences(path))
    assert "withheld row carries a number" in found  # itsm_mttr March keeps its denominator
    assert "previous_value 5.0 != None" in found  # from a period with no row
    assert "previous_value 4.0 != None" in found  # from a withheld period
    assert "leaves 3.0" in found  # all 43 - A 40
