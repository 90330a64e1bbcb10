"""One run at a time: an exclusive flock on a file in the warehouse folder.

The kernel releases a flock when its process dies, so a lock left by a killed run never
blocks the next one; the file's contents (pid, start) only say who holds it.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType


class LockedError(RuntimeError):
    """Another run holds the lock."""


class RunLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / ".nyckeltal-run.lock"
        self._descriptor: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            holder = self.path.read_text(encoding="utf-8").strip() or "unknown"
            os.close(descriptor)
            raise LockedError(
                f"{self.path}: another nyckeltal run holds the lock ({holder})"
            ) from error
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"pid {os.getpid()} since {datetime.now(UTC).isoformat()}\n".encode())
        self._descriptor = descriptor
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None
