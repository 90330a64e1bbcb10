"""Dashboards: written with every publication, self-contained, and read in a real browser.

The browser is Debian's Chromium (`make test` installs it when missing) driven by Playwright,
offline: no request may leave the page's own file, no console message may be an error, every
KPI of the page's audience must show the value kpi_values holds for its latest complete
period, formatted as the page formats it, and a withheld value its reason. Screenshots go to
test-artefacts/screenshots/ and must not be blank (a blank one has a handful of colours).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from nyckeltal.dashboards import AUDIENCES, format_number, page_file, write_dashboards
from nyckeltal.publish import PublicationFacts, publish

from conftest import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("NYCKELTAL_TEST_ARTEFACTS", PROJECT_DIR / "test-artefacts"))
FAMILIES = {
    "management": None,
    "service-desk": ("ITSM", "customer_service"),
    "hr": ("EX",),
    "customer": ("CX",),
}
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster)\s*=\s*["']?\s*(?:https?:|//))"""
    r"""|(?:url\(\s*["']?\s*(?:https?:|//))|(?:@import)""",
    re.IGNORECASE,
)


def _colours(browser, image: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct colours of a PNG, measured by drawing it on
    a canvas in a blank page (every 7th pixel)."""
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        return tuple(
            page.evaluate(
                """async (data) => {
                    const img = new Image();
                    img.src = "data:image/png;base64," + data;
                    await img.decode();
                    const canvas = document.createElement("canvas");
                    canvas.width = img.width; canvas.height = img.height;
                    const context = canvas.getContext("2d");
                    context.drawImage(img, 0, 0);
                    const pixels = context.getImageData(0, 0, img.width, img.height).data;
                    const seen = new Set();
                    for (let i = 0; i < pixels.length; i += 28) {
                        seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
                    }
                    return [img.width, img.height, seen.size];
                }""",
                base64.b64encode(image).decode(),
            )
        )
    finally:
        context.close()


def _latest_rows(published: Path) -> dict[str, tuple]:
    """Per KPI: its latest period of its measurement grain that ended by the newest event
    data, unsegmented (written apart from the dashboards' own query)."""
    with duckdb.connect(str(published), read_only=True) as con:
        return {
            row[0]: row[1:]
            for row in con.execute(
                """
                with through as (
                    select max(watermark_at)::date as day from source_watermarks
                    where watermark_kind = 'event'
                ),
                ranked as (
                    select v.kpi_id, v.value, v.status, v.reasons, c.unit,
                        row_number() over (
                            partition by v.kpi_id order by v.period_start desc
                        ) as rank
                    from kpi_values v
                    join kpi_catalog c
                        on v.kpi_id = c.kpi_id and v.period_grain = c.measurement_period
                    cross join through
                    where v.segment_type = 'all'
                        and v.period_start + case v.period_grain
                            when 'month' then interval 1 month
                            when 'quarter' then interval 3 month
                            when 'week' then interval 7 day else interval 1 day end
                            <= through.day
                )
                select kpi_id, value, status, reasons, unit from ranked where rank = 1
                """
            ).fetchall()
        }


def _catalog(published: Path) -> list[tuple]:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "select kpi_id, name_en, name_sv, family, kpi_type from kpi_catalog"
        ).fetchall()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


def _open(browser, page_path: Path, screenshot: Path) -> tuple[object, list, list, bytes]:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    messages: list[tuple[str, str]] = []
    requests: list[str] = []
    page.on("console", lambda message: messages.append((message.type, message.text)))
    page.on("pageerror", lambda error: messages.append(("pageerror", str(error))))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    image = page.screenshot(path=str(screenshot), full_page=True)
    return page, messages, requests, image


def test_run_publishes_every_page_in_both_languages(warehouse):
    folder = warehouse.settings.dashboards_dir
    names = {path.name for path in warehouse.summary.dashboards}
    for page in ("index", *(audience.page for audience in AUDIENCES)):
        assert page_file(page, "en") in names
        assert page_file(page, "sv") in names
    run_id = warehouse.query(
        "select run_id from publication_log order by finished_at desc limit 1"
    )[0][0]
    for path in folder.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert run_id in text, path
        assert not EXTERNAL.search(text), (path, EXTERNAL.search(text))
    # nothing staged is left beside the published folder
    assert not list(folder.parent.glob(".dashboards-*"))


def test_external_reference_detector_catches_what_it_must():
    for html in (
        '<img src="https://cdn.example/x.png">',
        "<link href='//fonts.example/f.css'>",
        "<style>body{background:url( 'http://x/y.png')}</style>",
        "<style>@import 'local.css';</style>",
        "<script src=https://cdn.example/lib.js></script>",
    ):
        assert EXTERNAL.search(html), html
    assert not EXTERNAL.search('<a href="hr.html">HR</a> see https://example.org as text')


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("audience", [audience.page for audience in AUDIENCES])
def test_page_in_a_real_browser(warehouse, browser, audience, language):
    folder = warehouse.settings.dashboards_dir
    path = folder / page_file(audience, language)
    shot = ARTEFACTS / "screenshots" / f"{path.stem}.png"
    page, messages, requests, image = _open(browser, path, shot)
    try:
        assert [m for m in messages if m[0] in ("error", "pageerror")] == []
        assert requests == [path.as_uri()], requests
        latest = _latest_rows(warehouse.published)
        families = FAMILIES[audience]
        expected = [
            (kpi_id, names)
            for kpi_id, *names, family, kpi_type in _catalog(warehouse.published)
            if (families is None and kpi_type == "outcome")
            or (families is not None and family in families)
        ]
        assert expected
        for kpi_id, (name_en, name_sv) in expected:
            tile = page.locator(f'.tile[data-kpi="{kpi_id}"]')
            assert tile.count() == 1, kpi_id
            text = tile.inner_text()
            assert (name_en if language == "en" else name_sv) in text, kpi_id
            value, status, reasons, unit = latest[kpi_id]
            if status == "withheld":
                assert "Withheld" in text or "Undanhållen" in text, kpi_id
                assert reasons in text, kpi_id
            else:
                shown = tile.locator(".value").inner_text()
                assert format_number(value, unit, language) in shown, (kpi_id, shown, value)
                if status == "provisional":
                    assert "provisional" in text or "preliminär" in text, kpi_id
        width, height, colours = _colours(browser, image)
        assert width >= 1400 and height > 400 and colours > 20, (shot, width, height, colours)
    finally:
        page.context.close()


def test_withheld_latest_value_shows_its_reason(warehouse, browser, tmp_path):
    """Withhold one KPI's latest value in a copy of the publication: its tile says withheld
    and why, shows no number, and the trend marks the month rather than drawing a 0."""
    copy = tmp_path / "published.duckdb"
    shutil.copyfile(warehouse.published, copy)
    latest = _latest_rows(copy)
    kpi_id = "itsm_mttr"
    reason = "min_sample: n=3 < 30"
    with duckdb.connect(str(copy)) as con:
        con.execute(
            """
            update kpi_values set status = 'withheld', value = null, numerator = null,
                denominator = null, target_met = null, reasons = ?
            where kpi_id = ? and segment_type = 'all' and period_grain = 'month'
                and value = ?
            """,
            [reason, kpi_id, latest[kpi_id][0]],
        )
    folder = tmp_path / "dashboards"
    write_dashboards(copy, folder)
    page, messages, _, _ = _open(
        browser,
        folder / "service-desk.html",
        ARTEFACTS / "screenshots" / "service-desk-withheld.png",
    )
    try:
        assert not [m for m in messages if m[0] in ("error", "pageerror")]
        tile = page.locator(f'.tile[data-kpi="{kpi_id}"]')
        text = tile.inner_text()
        assert "Withheld" in text and reason in text
        assert tile.locator(".value").count() == 0
        assert tile.locator("svg .withheld title").first.text_content().endswith(reason)
    finally:
        page.context.close()


def test_small_groups_are_shown_as_suppressed(warehouse, browser):
    small = warehouse.query(
        """
        select count(*) from kpi_values
        where segment_type = 'department' and reasons like 'small_group%'
        """
    )[0][0]
    assert small, "the default data should have small groups"
    path = warehouse.settings.dashboards_dir / "hr.html"
    page, _, _, _ = _open(browser, path, ARTEFACTS / "screenshots" / "hr-check.png")
    try:
        cells = page.locator('section[data-segment="department"] td.withheld')
        assert cells.count() > 0
        titles = [cells.nth(i).get_attribute("title") for i in range(cells.count())]
        assert all(title for title in titles)
        assert all(cells.nth(i).inner_text().startswith("withheld") for i in range(cells.count()))
    finally:
        page.context.close()


def test_a_dashboard_that_cannot_be_rendered_publishes_nothing(warehouse, tmp_path):
    """The dashboards are rendered from the new database before it replaces the old one: if
    rendering fails, the old publication stays byte for byte and no temporary file is left."""
    published = tmp_path / "published.duckdb"
    shutil.copyfile(warehouse.published, published)
    before = published.read_bytes()

    def broken(new_file: Path) -> None:
        assert new_file.exists() and new_file != published
        raise RuntimeError("renderer crashed")

    facts = PublicationFacts(run_id="render-fails", started_at=datetime.now(UTC))
    with pytest.raises(RuntimeError, match="renderer crashed"):
        publish(published, warehouse.settings.build_path, facts, prepare=broken)
    assert published.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["published.duckdb"]
