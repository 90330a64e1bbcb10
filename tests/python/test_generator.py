"""The generator is deterministic for a seed and writes every table of the contract."""

from __future__ import annotations

import gzip

from nyckeltal.contract import TABLES
from nyckeltal.generate import generate_landing

from reference import read_rows

PROJECT_DIR = __import__("conftest").PROJECT_DIR


def _content(path):
    if path.name.endswith(".gz"):
        return gzip.decompress(path.read_bytes())
    return path.read_bytes()


def test_same_seed_same_files(tmp_path):
    first = generate_landing(tmp_path / "a", PROJECT_DIR, scale="1500", seed=7)
    second = generate_landing(tmp_path / "b", PROJECT_DIR, scale="1500", seed=7)
    other = generate_landing(tmp_path / "c", PROJECT_DIR, scale="1500", seed=8)
    names = sorted(path.name for path in first.landing_dir.iterdir())
    assert names == sorted(path.name for path in second.landing_dir.iterdir())
    for name in names:
        if name.endswith(".parquet"):
            continue
        assert _content(first.landing_dir / name) == _content(second.landing_dir / name), name
    assert _content(first.landing_dir / "tickets.csv") != _content(
        other.landing_dir / "tickets.csv"
    )


def test_writes_every_non_reference_table(warehouse):
    written = {path.name.split(".")[0] for path in warehouse.landing.iterdir()}
    expected = {table.name for table in TABLES if not table.is_reference}
    assert expected <= written


def test_tickets_look_like_a_service_desk(warehouse):
    tickets = list(read_rows(warehouse.landing / "tickets.csv"))
    assert len(tickets) == 20_000
    events = sum(1 for _ in read_rows(warehouse.landing / "ticket_events.csv.gz"))
    assert 6 <= events / len(tickets) <= 12
    statuses = {row["status"] for row in tickets}
    assert {"closed", "resolved", "open", "cancelled"} <= statuses
    channels = {row["channel"] for row in tickets}
    assert {"phone", "email", "chat", "portal", "walk_in"} <= channels
