"""`d2l-tui serve` in a real headless Chromium: the course map in Chinese, a lesson opened with keys, a cell run."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path(os.environ.get("D2L_TUI_CHROMIUM", "/usr/bin/chromium"))
# Playwright's own browser download is not used: Debian's chromium, with no network of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]")
SCREENSHOTS = os.environ.get("D2L_TUI_SCREENSHOTS")
"""A folder to save the browser's pictures in (the README's), when set."""

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`d2l-tui serve` on a free local port with its own data folder; its URL and that folder."""
    port, data = free_port(), tmp_path / "served"
    server = subprocess.Popen([sys.executable, "-m", "d2l_tui", "serve", "--port", str(port), "--data-dir", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    first = server.stdout.readline()
    assert "serving the tutor on" in first, first + server.stdout.read()
    try:
        yield f"http://127.0.0.1:{port}/", data
    finally:
        server.terminate()
        server.wait(timeout=30)


class Screen:
    """What the browser's terminal was sent (its text without escape codes), frame by frame."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def receive(self, frame: bytes | str) -> None:
        self.frames.append(frame if isinstance(frame, bytes) else frame.encode())

    def text(self, since: int = 0) -> str:
        return ESCAPES.sub(b"", b"".join(self.frames[since:])).decode("utf-8", "ignore")

    def wait(self, page: Page, found: Callable[[str], bool], since: int = 0, timeout: float = 60) -> bool:
        started = time.monotonic()
        while not found(self.text(since)):
            if time.monotonic() - started > timeout:
                return False
            page.wait_for_timeout(100)
        return True


def test_browser_shows_the_chinese_map_opens_a_lesson_and_runs_a_cell(served: tuple[str, Path], tmp_path: Path) -> None:
    url, data = served
    screen = Screen()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 800}, locale="zh-CN")
        try:
            page = browser.new_page()
            page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())  # no internet
            page.goto(url)
            assert "动手学深度学习" in page.title()
            save(page, "landing")
            page.fill("input[name=learner]", "ann-1")
            page.on("websocket", lambda ws: ws.on("framereceived", screen.receive))
            page.click("button[type=submit]")
            assert screen.wait(page, lambda text: "课程" in text and "线性回归" in text), screen.text()[-2000:]
            page.wait_for_timeout(500)
            save(page, "map")
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            assert screen.wait(page, lambda text: "第一个代码单元" in text), screen.text()[-2000:]
            assert run_first_cell(page, screen), screen.text()[-2000:]
            save(page, "lesson")
        finally:
            browser.close()
    assert (data / "learners" / "ann-1").is_dir()


def run_first_cell(page: Page, screen: Screen) -> bool:
    """Tab until the footer shows a code cell's keys, press Ctrl+R; whether its result (and its time) came back."""
    for _ in range(10):
        before = len(screen.frames)
        page.keyboard.press("Tab")
        if screen.wait(page, lambda text: "还原初始代码" in text, before, timeout=3):
            break
    else:
        return False
    before = len(screen.frames)
    page.keyboard.press("Control+r")
    return screen.wait(page, lambda text: "NDArray 12 @cpu(0)" in text and "毫秒" in text, before, timeout=90)


def save(page: Page, name: str) -> None:
    """Keep a picture of the page for the README, when asked to."""
    if SCREENSHOTS:
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"screenshot-browser-{name}.png"))
