"""Make the README's screenshots from the app itself: `python docs/screenshots.py`."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from d2l_tui.ui.app import make_app

HERE = Path(__file__).parent
SIZE = (100, 30)


async def shoot(name: str, **app_options: object) -> None:
    """Start the app, let background loading finish, and save an SVG screenshot."""
    with tempfile.TemporaryDirectory() as data:
        app = make_app(data_dir=Path(data), **app_options)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / name}.svg")


async def main() -> None:
    await shoot("screenshot-lesson", lang="zh", open_lesson="preface")
    await shoot("screenshot-map", lang="zh")


if __name__ == "__main__":
    asyncio.run(main())
