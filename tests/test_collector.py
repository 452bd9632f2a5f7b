"""The garbage collector is paused while screens are built, and always given back afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

from d2l_tui.ui.app import make_app
from d2l_tui.ui.collector import CollectorPause
from d2l_tui.ui.screens.lesson import LessonScreen

SIZE = (100, 30)


def test_pauses_nest_and_the_last_one_resumes_collection() -> None:
    pause = CollectorPause()
    assert gc.isenabled()
    pause.begin()
    pause.begin()
    pause.end()
    assert not gc.isenabled() and pause.paused
    pause.end()
    assert gc.isenabled() and not pause.paused
    pause.end()  # one end too many changes nothing
    assert gc.isenabled()


async def wait_for(pilot, condition) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


async def test_collection_resumes_after_start_up_and_after_each_lesson_opens(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    assert app.collector.paused  # from the moment the app exists until its first screen is up
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.collector.paused)
        assert gc.isenabled()
        app.open_lesson("ndarray")
        assert app.collector.paused
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.first_paint_at)
        assert not app.collector.paused and gc.isenabled()
    assert gc.isenabled()


async def test_a_lesson_left_before_its_first_paint_gives_the_collector_back(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.collector.paused)
        await pilot.press("enter", "escape")  # open the highlighted lesson and leave at once
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: not app.collector.paused)
        assert gc.isenabled()


async def test_an_app_closed_during_start_up_leaves_collection_on(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE):
        pass  # leave at once, before the start-up pause has ended on its own
    assert gc.isenabled()
