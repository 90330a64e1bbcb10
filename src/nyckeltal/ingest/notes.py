"""Notes about the landing folder: what the loader noticed and did not stop for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LandingNote:
    """Kept in raw._landing_notes (published as quality_landing_notes) and printed by the run."""

    kind: str  # unknown_file, unknown_columns, encoding, date_format
    path: str
    detail: str
    is_warning: bool = True

    def message(self) -> str:
        return f"{self.path}: {self.detail}"
