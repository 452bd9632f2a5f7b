"""Make the README's screenshots from the app itself: `python docs/screenshots.py`."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from d2l_tui.ui.app import TutorApp, make_app

HERE = Path(__file__).parent
SIZE = (100, 30)

Stage = Callable[[TutorApp, object], Awaitable[None]]


async def shoot(name: str, stage: Stage | None = None, **app_options: object) -> None:
    """Start the app, let background loading finish, set the scene, and save an SVG screenshot."""
    with tempfile.TemporaryDirectory() as data:
        app = make_app(data_dir=Path(data), **app_options)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE) as pilot:
            while not (app.mxnet_ready or "unavailable" in app.mxnet_status):
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if stage is not None:
                await stage(app, pilot)
            await pilot.pause(0.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / name}.svg")


async def trained_panel(app: TutorApp, pilot: object) -> None:
    """Scroll the scratch lesson's training panel to the top and run it once."""
    from d2l_tui.ui.screens.lesson import LessonContent
    from d2l_tui.ui.widgets.training_panel import TrainingPanel

    panel = app.screen.query_one(TrainingPanel)
    panel.focus()
    app.screen.query_one(LessonContent).scroll_to_widget(panel, animate=False, top=True)
    await pilot.press("s")  # type: ignore[attr-defined]
    while not len(panel.history):
        await pilot.pause(0.1)  # type: ignore[attr-defined]


async def main() -> None:
    await shoot("screenshot-lesson", lang="zh", open_lesson="preface")
    await shoot("screenshot-map", lang="zh")
    await shoot("screenshot-panel", trained_panel, lang="zh", open_lesson="linear-regression-scratch")


if __name__ == "__main__":
    asyncio.run(main())
