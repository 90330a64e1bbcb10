"""A static start page beside the docs: what this run checked, with links that work offline.

A run writes its documentation into a staging folder beside `docs/` and swaps it in only once
its publication is in place, so `docs/` always describes the published run.

GX's own Data Docs index renders its table with scripts from a CDN, which machines without
internet cannot load; its per-validation pages are plain HTML and read fine.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from nyckeltal.quality.expectations import ExpectationReport


def _latest_page(gx_site: Path, suite: str) -> Path | None:
    pages = sorted((gx_site / "validations" / suite).glob("**/*.html"))
    return pages[-1] if pages else None


def write_docs_index(
    docs_dir: Path, run_id: str, report: ExpectationReport, dbt_docs: Path | None
) -> Path:
    gx_site = report.data_docs_index.parent if report.data_docs_index else None
    rows = []
    for outcome in report.outcomes:
        page = _latest_page(gx_site, outcome.name) if gx_site else None
        name = html.escape(outcome.name)
        link = (
            f'<a href="{html.escape(str(page.relative_to(docs_dir)))}">{name}</a>' if page else name
        )
        status = (
            "passed"
            if outcome.success
            else "FAILED: " + html.escape(", ".join(outcome.failed_expectations))
        )
        rows.append(
            f"<tr><td>{link}</td><td>{html.escape(outcome.node)}</td><td>{status}</td></tr>"
        )
    dbt_link = (
        f'<p><a href="{html.escape(str(dbt_docs.relative_to(docs_dir)))}">dbt docs</a></p>'
        if dbt_docs
        else ""
    )
    page = docs_dir / "index.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>nyckeltal run "
        f"{html.escape(run_id)}</title></head><body><h1>nyckeltal run {html.escape(run_id)}</h1>"
        f"{dbt_link}<h2>Great Expectations suites</h2>"
        "<table border='1' cellpadding='4'><tr><th>suite</th><th>checks dbt node</th>"
        f"<th>result</th></tr>{''.join(rows)}</table></body></html>",
        encoding="utf-8",
    )
    return page


def _staging_prefix(folder: Path) -> str:
    return f".{folder.name}-"


def staging_docs_dir(docs_dir: Path, run_id: str) -> Path:
    """Where a run writes a published folder (documentation, dashboards) until its publication
    is in place: `.docs-<run_id>` beside `docs/`."""
    return docs_dir.with_name(f"{_staging_prefix(docs_dir)}{run_id}")


def clean_docs_leftovers(docs_dir: Path) -> list[Path]:
    """Remove the staged folders of runs that did not publish (killed or failed)."""
    if not docs_dir.parent.is_dir():
        return []
    leftovers = sorted(docs_dir.parent.glob(f"{_staging_prefix(docs_dir)}*"))
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return leftovers


def swap_in(run_docs: Path, docs_dir: Path) -> None:
    """After the publication is in place: the run's folder replaces the last one (two
    renames; a reader sees the old folder or the new one)."""
    retired = docs_dir.with_name(f"{_staging_prefix(docs_dir)}retired-{run_docs.name}")
    if docs_dir.exists():
        docs_dir.rename(retired)
    run_docs.rename(docs_dir)
    shutil.rmtree(retired, ignore_errors=True)
