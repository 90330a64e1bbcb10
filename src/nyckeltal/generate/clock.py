"""Vectorised local-time arithmetic for the generator (Europe/Stockholm, business hours)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86_400
HOUR = 3_600


class LocalClock:
    """UTC <-> local conversion and business-hour snapping on epoch-second arrays."""

    def __init__(self, timezone: str, first_year: int, last_year: int, holidays: set[date]) -> None:
        zone = ZoneInfo(timezone)
        # offsets change at most a few times a year: find them hour by hour once, per year
        points = []
        start = datetime(first_year - 1, 12, 31, tzinfo=UTC)
        hours = int((datetime(last_year + 1, 1, 2, tzinfo=UTC) - start).total_seconds() // HOUR)
        previous = None
        for hour in range(0, hours, 1):
            moment = start + timedelta(hours=hour)
            offset = int(moment.astimezone(zone).utcoffset().total_seconds())
            if offset != previous:
                points.append((int(moment.timestamp()), offset))
                previous = offset
        self._change_at = np.array([point[0] for point in points], dtype=np.int64)
        self._offset = np.array([point[1] for point in points], dtype=np.int64)
        epoch = date(1970, 1, 1)
        self._holiday_days = np.array(
            sorted((day - epoch).days for day in holidays), dtype=np.int64
        )

    def offset(self, utc: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self._change_at, utc, side="right") - 1
        return self._offset[np.clip(index, 0, len(self._offset) - 1)]

    def to_local(self, utc: np.ndarray) -> np.ndarray:
        return utc + self.offset(utc)

    def to_utc(self, local: np.ndarray) -> np.ndarray:
        # the offset in force an hour before is right except inside the one-hour DST gap
        return local - self.offset(local - 2 * HOUR)

    def is_working_day(self, local_day: np.ndarray) -> np.ndarray:
        weekday = (local_day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        return (weekday < 5) & ~np.isin(local_day, self._holiday_days)

    def snap_to_business(
        self,
        utc: np.ndarray,
        rng: np.random.Generator,
        opens: int = 8 * HOUR,
        closes: int = 17 * HOUR,
    ) -> np.ndarray:
        """Move moments outside opening hours to shortly after the next opening."""
        local = self.to_local(utc)
        day = local // DAY
        second = local % DAY
        jitter = rng.integers(60, 50 * 60, size=len(utc))
        early = second < opens
        late = second >= closes
        day = np.where(late, day + 1, day)
        moved = early | late
        second = np.where(moved, opens + jitter, second)
        for _ in range(10):
            closed = ~self.is_working_day(day)
            if not closed.any():
                break
            day = np.where(closed, day + 1, day)
            second = np.where(closed & ~moved, opens + jitter, second)
            moved = moved | closed
        return np.where(moved, self.to_utc(day * DAY + second), utc)
