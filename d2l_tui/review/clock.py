"""The app's clock for review scheduling: the real time, unless a test sets one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass
class Clock:
    """Says what time it is; `fixed` (set by a test, or a demo) stops it at that moment."""

    fixed: datetime | None = None

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        return self.fixed if self.fixed is not None else datetime.now(timezone.utc)
