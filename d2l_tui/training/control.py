"""Thread-safe start/pause/resume/step/stop for a run stepping in a worker thread."""

from __future__ import annotations

import threading


class RunControl:
    """Commands from the UI thread to a training loop; every method is safe from any thread.

    The loop calls `wait_for_turn()` before each step. A condition variable wakes it the moment
    a command arrives, so `stop()` takes effect within one minibatch even while paused.
    """

    def __init__(self, *, paused: bool = False) -> None:
        self._changed = threading.Condition()
        self._paused = paused
        self._stopped = False
        self._credits = 0

    @property
    def paused(self) -> bool:
        """True while the loop waits for `resume()` or `step_once()`."""
        return self._paused

    @property
    def stopped(self) -> bool:
        """True once `stop()` was called."""
        return self._stopped

    def pause(self) -> None:
        """Hold the loop before its next step."""
        with self._changed:
            self._paused = True
            self._changed.notify_all()

    def resume(self) -> None:
        """Let the loop run freely again."""
        with self._changed:
            self._paused = False
            self._credits = 0
            self._changed.notify_all()

    def step_once(self) -> None:
        """Pause (if running) and allow exactly one more step."""
        with self._changed:
            self._paused = True
            self._credits += 1
            self._changed.notify_all()

    def stop(self) -> None:
        """End the run before its next step."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def wait_for_turn(self, timeout: float | None = None) -> bool:
        """Block until the loop may take a step; return False when it must stop (or on timeout)."""
        with self._changed:
            allowed = self._changed.wait_for(
                lambda: self._stopped or not self._paused or self._credits > 0, timeout
            )
            if self._stopped or not allowed:
                return False
            if self._paused:
                self._credits -= 1
            return True
