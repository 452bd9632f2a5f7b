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
    """Collect what is garbage now, then keep every surviving object out of later collections.

    Called when start-up (and later the MXNet import) is over: modules, classes and the parsed
    course live as long as the app, so scanning them again in every full collection is waste.
    """
    gc.collect()
    gc.freeze()
