"""Snapshots of every quiz kind unanswered, wrong, right and revealed (`--snapshot-update` to accept)."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from d2l_tui.training import loop
from d2l_tui.trust import TrustStore
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.training_panel import TrainingPanel

COURSE = Path(__file__).parent / "fixtures" / "snapshot_quiz_course"
SIZE = (100, 30)
RUN_DEADLINE_S = 120.0
"""A generous limit for the predict lesson's small run (MXNet loads first); it normally takes seconds."""

# What each kind's learner types, by state, once Tab has reached the quiz. The options are not
# shuffled in this course (`shuffle: false`), so the digits are the options in the file.
KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "choice": {"wrong": ("2", "enter"), "right": ("1", "enter"), "revealed": ("s",)},
    "multi": {"wrong": ("3", "enter"), "right": ("1", "2", "enter"), "revealed": ("s",)},
    # Tab stops in the number box: type there; Escape leaves it for the card's keys.
    "numeric": {"wrong": ("1", "3", "enter"), "right": ("1", "2", "enter"), "revealed": ("escape", "s")},
    # Tab stops in the code box, which holds the starter `nd.arange(12)` (a vector: wrong).
    "code": {"wrong": ("enter",), "right": ("end", *".reshape((3, 4))", "enter"), "revealed": ("escape", "s")},
    "predict": {"wrong": ("2", "enter"), "right": ("1", "enter"), "revealed": ("s",)},
}
STATES = ("unanswered", "wrong", "right", "revealed")


def ticking_clock() -> Callable[[], float]:
    """A clock that moves 1 ms each time it is read: a run's steps/s is the same on every machine."""
    ticks = itertools.count()
    return lambda: next(ticks) / 1000


def tick_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Train the panels' runs on `ticking_clock` (the real clock's steps/s differs on every run)."""
    real_run = loop.run
    monkeypatch.setattr(loop, "run", lambda *args, **kwargs: real_run(*args, clock=ticking_clock(), **kwargs))


def the_card(app) -> QuizCard:
    return app.screen.query_one(QuizCard)


async def tab_to(pilot, app, widget) -> None:
    """Reach a widget (or the answer box inside it) with Tab alone, as a learner would."""
    for _ in range(30):
        if app.focused is widget or (app.focused is not None and widget in app.focused.ancestors):
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {widget}; focus is on {app.focused}")


async def settle(pilot) -> None:
    """Wait for MXNet, the lesson's mounting and any code being checked."""
    app = pilot.app
    while app.mxnet_status.startswith("MXNet: loading"):
        await pilot.pause(0.05)
    for _ in range(3):  # the lesson mounts its later blocks after its first paint
        await app.workers.wait_for_complete()
        await pilot.pause()


async def hold_still(pilot) -> None:
    """Clear the toasts and stop the cursors blinking: both run on the clock, so the picture would flicker."""
    pilot.app.clear_notifications()
    for box in pilot.app.screen.query("Input, TextArea"):
        box.cursor_blink = False  # the cursor is then hidden
    await pilot.pause()


async def run_the_panel(pilot, app, card: QuizCard) -> None:
    """Shift+Tab back to the panel, train it with `s`, wait for the run's end, and Tab back to the quiz."""
    panel = app.screen.query_one(TrainingPanel)
    for _ in range(5):  # past the panel's settings (lr) to the panel itself
        if app.focused is panel:
            break
        await pilot.press("shift+tab")
    assert app.focused is panel, app.focused
    await pilot.press("s")
    deadline = time.monotonic() + RUN_DEADLINE_S
    while not panel.history or panel.view.active:
        assert time.monotonic() < deadline, "the panel's run did not end"
        await pilot.pause(0.1)
    await settle(pilot)
    await tab_to(pilot, app, card)


def answer(kind: str, state: str):
    """A `run_before` that opens the quiz's lesson settled, Tabs to the quiz and answers it."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot)
        card = the_card(app)
        await tab_to(pilot, app, card)
        if state != "unanswered":
            await pilot.press(*KEYS[kind][state])
            await settle(pilot)
            deadline = time.monotonic() + RUN_DEADLINE_S
            while card.checking:  # the code answer runs in the quiz kernel
                assert time.monotonic() < deadline, "the code answer was never graded"
                await pilot.pause(0.1)
            await settle(pilot)
        if kind == "predict" and state in ("wrong", "right"):
            await run_the_panel(pilot, app, card)
        expected = {"unanswered": None, "revealed": None, "wrong": "wrong", "right": "right"}[state]
        assert (card.grade.outcome if card.grade else None) == expected, card.grade
        assert card.shown_answer == (state == "revealed")
        await hold_still(pilot)

    return run_before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", tuple(KEYS))
def test_quiz(snap_compare, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, kind: str, state: str) -> None:
    """You should see one quiz card of `kind`, framed in the accent colour (focused), with its prompt.

    unanswered: the options (or an empty number box / the starter code), no verdict.
    No toasts and no cursor (both blink or fade on the clock).
    wrong: "✘ Wrong" with why, and no explanation yet; right: "✔ Right" with the explanation.
    revealed: the answer (or the solution) shown, marked as shown rather than answered.
    For predict, wrong and right come after the panel above trained for 2 epochs at lr = 0.3
    (the loss falls below 1e-3, so "it diverges" is wrong).
    """
    tick_the_runs(monkeypatch)
    course = Path(os.path.relpath(COURSE))  # relative: no checkout path in the picture
    TrustStore.open(isolated_data_dir).remember(course, True)  # the code quiz runs without asking
    app = make_app(lessons_dir=course, data_dir=isolated_data_dir,
                   lang="en", open_lesson=kind)
    assert snap_compare(app, terminal_size=SIZE, run_before=answer(kind, state))
