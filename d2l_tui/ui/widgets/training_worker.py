"""The worker-thread side of a training panel: train, and send the events up in small batches."""

from __future__ import annotations

import time
from collections.abc import Callable

from d2l_tui.training.config import TrainConfig
from d2l_tui.training.control import RunControl
from d2l_tui.ui.widgets.fit_plot import sample_data

SEND_INTERVAL = 0.25
"""Seconds between batches of Progress and EpochEnd events (4 a second).

Every message wakes the UI thread, which then repaints while holding the GIL the trainer needs:
measured with the book's settings, the engine's 20 events a second, each with its repaint, took
about 9% of the UI thread's time (and as much of the trainer's speed); 4 batches a second, 3-4%.
"""

Post = Callable[[tuple[object, ...]], object]
"""Sends a batch of events to the panel (a message); may raise once the panel is gone."""


class Outbox:
    """Gathers a run's events in the worker thread and posts them in batches.

    Progress and EpochEnd wait for the next batch; anything else (the data, Started, the final
    event) goes at once, and so does everything while the run is paused, so a single step
    shows as soon as it is taken.
    """

    def __init__(
        self, post: Post, control: RunControl, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._post, self._control, self._clock = post, control, clock
        self._pending: list[object] = []
        self._last = clock()

    def send(self, event: object) -> None:
        """Queue one event; post the batch when it is due."""
        self._pending.append(event)
        batchable = type(event).__name__ in ("Progress", "EpochEnd")
        if batchable and not self._control.paused and self._clock() - self._last < SEND_INTERVAL:
            return
        self.flush()

    def flush(self) -> None:
        """Post whatever is queued."""
        if not self._pending:
            return
        batch, self._pending, self._last = tuple(self._pending), [], self._clock()
        try:
            self._post(batch)
        except Exception:  # noqa: BLE001 - the panel is gone: nobody is watching, so stop
            self._control.stop()


def train(config: TrainConfig, post: Post, control: RunControl, *, trace: bool = False) -> None:
    """The worker thread's job: send a sample of the data to draw (and, when `trace`, the loss
    bowl its path walks in), then train to the end."""
    from d2l_tui.training.loop import run

    outbox = Outbox(post, control)
    try:
        from d2l_tui.training.data import closed_form, make_dataset
        from d2l_tui.training.loss_surface import loss_bowl

        dataset = make_dataset(config)
        outbox.send(sample_data(config, dataset))
        if trace:
            outbox.send(loss_bowl(dataset, closed_form(dataset)))
    except Exception:  # noqa: BLE001 - the plots stay empty; training still runs
        pass
    run(config, outbox.send, control, trace=trace)
    outbox.flush()
