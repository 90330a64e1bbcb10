"""Bad input is quarantined with its reason, and no row is lost."""

from __future__ import annotations

from nyckeltal.generate.defects import DEFECTS, MALFORMED_LINE_COUNT, PER_DEFECT
from nyckeltal.ingest.contract import TABLES

from reference import read_rows


def _reasons(warehouse) -> dict[tuple[str, str], int]:
    rows = warehouse.query(
        "select source_table, quarantine_reason, quarantined_row_count"
        " from quality_quarantine_summary"
    )
    return {(table, reason): count for table, reason, count in rows}


def test_every_planted_defect_lands_in_quarantine_with_its_reason(dirty_warehouse):
    reasons = _reasons(dirty_warehouse)
    assert dirty_warehouse.report.defects
    for defect in DEFECTS:
        if defect.expected_reason is None:
            continue
        count = reasons.get((defect.table, defect.expected_reason), 0)
        if defect.expected_reason.startswith("orphan"):
            # events and surveys of quarantined tickets become orphans too
            assert count >= PER_DEFECT, defect
        else:
            assert count == PER_DEFECT, defect
    malformed = reasons.get(("tickets", "malformed CSV line: too many columns"), 0)
    assert malformed == MALFORMED_LINE_COUNT


def test_unknown_team_is_kept_and_counted(dirty_warehouse):
    unknown = dirty_warehouse.query(
        "select count(*) from fct_tickets where team_id = 'unknown' and has_unknown_team"
    )[0][0]
    assert unknown == PER_DEFECT
    counted = dirty_warehouse.query(
        "select unknown_count from quality_unknown_references"
        " where source_table = 'tickets' and reference = 'team_id'"
    )
    assert counted == [(PER_DEFECT,)]


def test_rows_in_equal_staged_plus_quarantined_for_every_table(dirty_warehouse):
    rows = dirty_warehouse.query(
        "select source_table, is_present, rows_in, staged_row_count, quarantined_row_count"
        " from quality_row_accounting"
    )
    assert {row[0] for row in rows} == {table.name for table in TABLES} | {"servicenow_incident"}
    for table, _present, rows_in, staged, quarantined in rows:
        assert rows_in == staged + quarantined, table


def test_rows_in_match_the_files_counted_independently(dirty_warehouse):
    accounting = dict(
        dirty_warehouse.query("select source_table, rows_in from quality_row_accounting")
    )
    landing = dirty_warehouse.landing
    for path in sorted(landing.iterdir()):
        if not path.name.endswith((".csv", ".csv.gz")):
            continue
        table = path.name.split(".")[0]
        data_lines = sum(1 for _ in read_rows(path))
        assert accounting[table] == data_lines, table


def test_clean_data_has_no_quarantine_but_foreign_currency(warehouse):
    reasons = _reasons(warehouse)
    assert set(reasons) <= {("customer_revenue", "currency is not the configured currency")}


def test_quarantined_rows_keep_their_raw_values(dirty_warehouse):
    missing = dirty_warehouse.query_build(
        "select source_table, quarantine_reason from intermediate.int_quarantined_rows"
        " where raw_values is null or source_file is null"
    )
    assert missing == []
    clean_with_values = dirty_warehouse.query_build(
        "select count(*) from staging.stg_contract__tickets"
        " where quarantine_reason is null and raw_values is not null"
    )[0][0]
    assert clean_with_values == 0
