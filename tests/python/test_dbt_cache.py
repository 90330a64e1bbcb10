"""dbt's partial-parse cache is dropped whenever a project file changed since the last run."""

from __future__ import annotations

from pathlib import Path

from nyckeltal.dbt import reset_partial_parse_if_changed


def _project(root: Path) -> tuple[Path, Path]:
    project, target = root / "project", root / "target"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: p\n")
    (project / "models" / "_models.yml").write_text("unit_tests: []\n")
    target.mkdir()
    return project, target


def test_cache_survives_an_unchanged_project_and_goes_with_an_edit(tmp_path):
    project, target = _project(tmp_path)
    cache = target / "partial_parse.msgpack"
    assert reset_partial_parse_if_changed(project, target)  # first run: nothing known
    cache.write_bytes(b"parsed")
    assert not reset_partial_parse_if_changed(project, target)
    assert cache.exists()
    (project / "models" / "_models.yml").write_text("unit_tests: [{name: t}]\n")
    assert reset_partial_parse_if_changed(project, target)
    assert not cache.exists()
    cache.write_bytes(b"parsed again")
    (project / "models" / "new.sql").write_text("select 1 as id\n")
    assert reset_partial_parse_if_changed(project, target)
    assert not cache.exists()
