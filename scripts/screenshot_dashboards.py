"""Screenshots of the published dashboards for docs/dashboards/ (README links them).

    .venv/bin/python scripts/screenshot_dashboards.py [DASHBOARDS_DIR] [OUT_DIR]

Defaults: warehouse/dashboards and docs/dashboards. Uses Debian's Chromium through
Playwright, offline, 1400 px wide, the whole page.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT_DIR = Path(__file__).resolve().parents[1]
PAGES = ("management", "service-desk", "hr", "customer", "service-desk.sv")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_DIR / "warehouse" / "dashboards"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else PROJECT_DIR / "docs" / "dashboards"
    target.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        for name in PAGES:
            page.goto((source / f"{name}.html").resolve().as_uri())
            page.screenshot(path=str(target / f"{name}.png"), full_page=True)
            print(target / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
