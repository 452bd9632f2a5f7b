"""When Python's cyclic garbage collector may run: not while the first screen or a lesson is built.

A full collection scans every object alive (Textual, the course, later MXNet) and costs tens of
milliseconds; started by chance in the middle of building a screen, it lands on the time a
learner waits. Textual pauses the collector during smooth scrolling for the same reason
(`App.PAUSE_GC_ON_SCROLL`); we pause it while a screen is being built and catch up afterwards.
"""

from __future__ import annotations

import gc


class CollectorPause:
    """Counted pauses of the cyclic collector: it runs again when the last pause ends."""

    def __init__(self) -> None:
        self._count = 0

    @property
    def paused(self) -> bool:
        """True while at least one pause is active."""
        return self._count > 0

    def begin(self) -> None:
        """Stop automatic collections until the matching `end()`."""
        self._count += 1
        gc.disable()

    def end(self) -> None:
        """End one pause; the collector runs again when none is left."""
        if self._count == 0:
            return
        self._count -= 1
        if self._count == 0:
            gc.enable()


def freeze_long_lived() -> None:
    """Keep every object alive now out of all later collections.

    Called once the app's modules are imported and the course is loaded, before any screen
    exists: what is alive then (modules, classes, the parsed course) lives as long as the app,
    so scanning it in every full collection would be waste. Screens and widgets are made after
    this, so the collector still reclaims them when the learner moves on.

    Once per process: a later app in the same process (as in the tests) would otherwise freeze
    whatever the earlier one left for the collector.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


_frozen = False
