"""Seeded key fuzzing: thousands of keys through the real app must not crash it.

Each case presses random keys (from a fixed seed) on one screen of the real app; an exception
anywhere in the app makes `run_test` raise, and the failure names the seed and the last keys,
so `FUZZ_SEED=<seed> pytest tests/test_fuzz.py` replays it. Quitting keys are left out (they end
the app, not the test); so are the keys that run code or train, which would spend the time on
MXNet instead of on keys (the code and training tests run those for real).
"""

from __future__ import annotations

import os
import random
import time
from collections import deque
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key

from d2l_tui.ui.app import make_app
from d2l_tui.ui.palette import CoursePalette
from d2l_tui.ui.screens.lesson import LessonScreen

TRAIN_COURSE = Path(__file__).parent / "fixtures" / "train_course"
KEYS_PER_CASE = 800
BURST = 8
"""Keys sent before the app is let to catch up, as a fast typist's or a held key's would be."""
SIZES = [(100, 30), (80, 24), (60, 20)]
COMMON = (
    list("abcdefghijklmnoptuvwxyzGHNOR0123456789./-+*()=?[],:; ")
    + ["tab", "shift+tab", "escape", "enter", "up", "down", "left", "right", "pageup", "pagedown"]
    + ["home", "end", "backspace", "delete", "space", "slash", "question_mark", "f1", "f3"]
    + ["shift+home", "shift+end", "ctrl+home", "ctrl+end", "f5"]
)
"""Letters (app keys among them), digits, punctuation and navigation. Not q/ctrl+q (quit) nor
ctrl+p (Enter in the palette may pick its Quit; the palette case fuzzes it without Enter), not
r/s/ctrl+r/f6/f8/shift+enter/ctrl+j (run code, train, restart a kernel), not f2 (a kernel)."""
PALETTE = ["pagedown"] * 4 + ["pageup", "down", "up", "ctrl+end", "ctrl+home", "end"] + ["backspace"] * 4 + list("平均值abcdefgl ")
"""Page keys right after typing or emptying the query: a new list of hits not laid out yet."""


def seed_for(case: str) -> int:
    """The case's fixed seed, or the one to replay from FUZZ_SEED."""
    return int(os.environ.get("FUZZ_SEED", "0")) or sum(map(ord, case)) * 7919


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key` (a name like "pagedown", or a character)."""
    if len(key) == 1 and not key.isalnum():
        return events.Key(_character_to_key(key), key)
    named = {"space": " ", "slash": "/", "question_mark": "?", "tab": "\t", "enter": "\r", "escape": "\x1b"}
    return events.Key(key, key if len(key) == 1 else named.get(key))


async def press_randomly(app, pilot, rng: random.Random, keys: list[str], count: int, case: str, seed: int) -> None:
    """Send `count` random keys in bursts, resizing now and then; on any failure say how to replay it."""
    recent: deque[str] = deque(maxlen=25)
    try:
        for n in range(count):
            key = rng.choice(keys)
            recent.append(key)
            app._driver.send_message(key_event(key))
            if n % BURST == BURST - 1:
                await pilot.pause()
            if n % 200 == 199:
                await pilot.resize_terminal(*rng.choice(SIZES))
            if not app.is_running:
                break
        await pilot.pause()
    except BaseException:
        print(f"\nfuzz case {case!r} failed with seed {seed} (FUZZ_SEED={seed}); last keys: {list(recent)}")
        raise


@pytest.mark.parametrize("case", ["course-map", "lesson", "palette", "training-panel"])
async def test_random_keys_do_not_crash_the_app(case: str, isolated_data_dir: Path) -> None:
    seed = seed_for(case)
    rng = random.Random(seed)
    started = time.monotonic()
    if case == "training-panel":
        app = make_app(lessons_dir=TRAIN_COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="train")
    else:
        app = make_app(data_dir=isolated_data_dir, lang="zh" if case != "lesson" else "en",
                       open_lesson="autograd" if case == "lesson" else None)
    try:
        async with app.run_test(size=SIZES[0]) as pilot:
            await pilot.pause(0.3)
            if case == "training-panel":
                while not (isinstance(app.screen, LessonScreen) and app.screen.query("TrainingPanel")):
                    await pilot.pause(0.05)
                app.screen.query_one("TrainingPanel").focus()
            if case == "palette":
                for _ in range(KEYS_PER_CASE // 35):
                    if not isinstance(app.screen, CoursePalette):
                        await pilot.press("ctrl+p")
                    await press_randomly(app, pilot, rng, PALETTE, 35, case, seed)
            else:
                await press_randomly(app, pilot, rng, COMMON, KEYS_PER_CASE, case, seed)
            assert app.is_running, f"seed {seed}: the app ended ({app.return_code}, {app._exception!r})"
    except BaseException:
        print(f"\nfuzz case {case!r}: seed {seed}")
        raise
    print(f"\nfuzz case {case!r}: {KEYS_PER_CASE} keys, seed {seed}, {time.monotonic() - started:.1f} s")
