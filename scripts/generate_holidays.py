"""Write seeds/holidays.csv: Swedish public holidays and the eves workplaces treat as closed.

Uses the maintained `holidays` library (dev dependency).  Re-run after upgrading it:
    .venv/bin/python scripts/generate_holidays.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import holidays

FIRST_YEAR = 2015
LAST_YEAR = 2035
# eves that are not public holidays by law but closed at Swedish workplaces (kpi-spec decisions)
CLOSED_EVES = ("Midsommarafton", "Julafton", "Nyårsafton")


def main() -> None:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    calendar = holidays.country_holidays(
        "SE",
        years=years,
        language="sv",
        include_sundays=False,
        # de_facto holds the eves (Midsommarafton, Julafton, Nyårsafton)
        categories=("public", "de_facto"),
    )
    rows = []
    for day, names in sorted(calendar.items()):
        for name in names.split("; "):
            rows.append(("default", day.isoformat(), name))
    found_eves = {name for _, _, name in rows if name in CLOSED_EVES}
    missing = set(CLOSED_EVES) - found_eves
    if missing:
        raise SystemExit(f"the holidays library no longer names {sorted(missing)}")
    # one row per calendar and day: join names that fall on the same day
    merged: dict[tuple[str, str], list[str]] = {}
    for calendar_id, day, name in rows:
        merged.setdefault((calendar_id, day), []).append(name)
    out = Path(__file__).resolve().parent.parent / "seeds" / "holidays.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["calendar_id", "holiday_date", "name"])
        for (calendar_id, day), names in sorted(merged.items()):
            writer.writerow([calendar_id, day, " / ".join(names)])
    print(f"wrote {len(merged)} holidays {FIRST_YEAR}-{LAST_YEAR} to {out}")


if __name__ == "__main__":
    main()
