"""Code cells and the scratchpad in the real app, on a real kernel: type, run, stop, restart."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from d2l_tui.ui.app import make_app
from d2l_tui.ui.kernels import KernelPool
from d2l_tui.ui.screens.confirm import ConfirmScreen
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.screens.scratchpad import InputHistory, PromptInput, ScratchpadScreen
from d2l_tui.ui.widgets.code_cell import CodeCell
from d2l_tui.ui.widgets.python_editor import PythonEditor, pygments_highlights

pytestmark = pytest.mark.every_python  # the app's core flows, on each supported Python (.ci/run)

SIZE = (100, 30)
STARTER_VALUE = "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11.]\n<NDArray 12 @cpu(0)>"


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 30.0) -> float:
    """Poll `condition` with short pauses (a busy kernel thread can slow Pilot); return the wait."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out waiting"
        await pilot.pause(0.02)
    return time.monotonic() - started


def keys_for(code: str) -> list[str]:
    """The key presses that type `code` (Enter for a line break; the editor adds the indent)."""
    return [("enter" if ch == "\n" else ch) for ch in code]


async def run_cell(pilot, cell: CodeCell, code: str | None = None, key: str = "ctrl+r") -> str:
    """Replace the cell's code by typing (select all, then type), run it, and return the output."""
    cell.editor.focus()
    await pilot.pause()
    if code is not None:
        await pilot.press("f7", *keys_for(code))
        assert cell.editor.text == code
    before = cell.result
    await pilot.press(key)
    await wait_until(pilot, lambda: cell.result is not before and not cell.running)
    return cell.output_text


async def open_environment(pilot, app) -> CodeCell:
    screen = app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == "environment"
    await screen.mount_all_now()
    await pilot.pause()
    return screen.query_one(CodeCell)


async def test_edit_run_interrupt_die_restart_in_a_lesson_cell(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        cell = await open_environment(pilot, app)
        assert cell.border_title == "Your first code cell"
        assert await run_cell(pilot, cell) == STARTER_VALUE
        hint = str(cell.query_one(".code-hint").render())
        assert hint == "Ctrl+R run · Esc leave · F6 run above · F5 starter · F8 restart"
        assert cell.border_subtitle.endswith((" ms", " s"))

        code = "y = x.reshape((3, 4))\nprint(len(y))\ny"
        output = await run_cell(pilot, cell, code, key="ctrl+enter")
        assert output.startswith("3\n[[ 0.  1.  2.  3.]") and output.endswith("<NDArray 3x4 @cpu(0)>")
        assert cell.border_subtitle.startswith("✔")

        # An endless loop: Ctrl+C stops it within a second or two, and the namespace survives.
        await pilot.press("f7", *"while 1: pass", "ctrl+r")
        await wait_until(pilot, lambda: cell.running)
        await pilot.pause(0.3)
        await pilot.press("ctrl+c")
        assert await wait_until(pilot, lambda: not cell.running) < 2.0
        assert cell.output_text.endswith("KeyboardInterrupt\ninterrupted: your variables are still there")
        assert await run_cell(pilot, cell, "y.shape", key="shift+enter") == "(3, 4)"

        # While a cell runs, q asks before quitting (from outside the editor, where q is a key).
        await pilot.press("f7", *"while 1: pass", "ctrl+r")
        await wait_until(pilot, lambda: cell.running)
        await pilot.press("escape")
        assert app.focused is cell
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("ctrl+c")  # the cell still has focus, so Ctrl+C reaches it
        await wait_until(pilot, lambda: not cell.running)

        # A kernel that dies says so, stays dead until F8, then starts afresh.
        died = await run_cell(pilot, cell, "import os; os._exit(1)")
        assert died == "the kernel died (exit code 1): press F8 to restart it"
        assert "died earlier" in await run_cell(pilot, cell, "1 + 1")
        await pilot.press("f8")
        await wait_until(pilot, lambda: "restarted" in cell.output_text)
        assert "NameError: name 'y' is not defined" in await run_cell(pilot, cell, "y")
        await pilot.press("f5")
        assert cell.editor.text == cell.starter
        assert await run_cell(pilot, cell) == STARTER_VALUE


async def test_escape_leaves_the_editor_for_the_lesson_keys(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        cell = await open_environment(pilot, app)
        assert cell.border_title == "第一个代码单元"
        cell.editor.focus()
        await pilot.pause()
        await pilot.press("n", "j")  # typed, not "next lesson" or "scroll"
        assert cell.editor.text.startswith("nj") and app.screen.lesson.id == "environment"
        await pilot.press("escape")
        assert app.focused is cell and "Enter 编辑" in str(cell.query_one(".code-hint").render())
        await pilot.press("enter")
        assert app.focused is cell.editor
        await pilot.press("escape", "tab")  # Tab from the cell goes back into its editor
        assert app.focused is cell.editor
        await pilot.press("escape", "p")
        await wait_until(pilot, lambda: app.screen.lesson.id == "preface")


async def test_scratchpad_shares_the_lesson_namespace_and_has_history(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        cell = await open_environment(pilot, app)
        await run_cell(pilot, cell, "s = nd.ones((2, 3))")
        await pilot.press("f2")
        pad = app.screen
        assert isinstance(pad, ScratchpadScreen) and pad.kernel_key == "environment"

        async def enter(line: str) -> None:
            await pilot.press(*line, "enter")
            await wait_until(pilot, lambda: not pad.running)

        await enter("s * 3")
        await enter("print(s.size)")
        transcript = "\n".join(pad.transcript)
        assert ">>> s * 3\n[[3. 3. 3.]\n [3. 3. 3.]]\n<NDArray 2x3 @cpu(0)>\n>>> print(s.size)\n6" == transcript

        prompt = pad.query_one(PromptInput)
        await pilot.press("up")
        assert prompt.value == "print(s.size)"
        await pilot.press("up")
        assert prompt.value == "s * 3"
        await pilot.press("down", "down")
        assert prompt.value == ""

        await pilot.press(*"while 1: pass", "enter")
        await wait_until(pilot, lambda: pad.running)
        await pilot.pause(0.3)
        await pilot.press("ctrl+c")
        assert await wait_until(pilot, lambda: not pad.running) < 2.0
        assert pad.transcript[-1].endswith("interrupted: your variables are still there")
        await enter("s.shape")
        assert pad.transcript[-1] == "(2, 3)"

        await pilot.press("escape")
        assert app.screen.query_one(CodeCell) is cell
        pids = [app.kernels.kernel(key).pid for key in app.kernels.alive]
    assert pids
    for pid in pids:  # quitting leaves no kernel process, not even a zombie
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_scratchpad_from_the_course_map_has_its_own_namespace(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        pad = app.screen
        assert isinstance(pad, ScratchpadScreen) and pad.kernel_key not in {"environment", "preface"}
        await pilot.press(*"1 / 0", "enter")
        await wait_until(pilot, lambda: not pad.running and len(pad.transcript) > 1)
        assert pad.transcript[-1].endswith("ZeroDivisionError: division by zero")
        assert "d2l_tui" not in pad.transcript[-1]
        await pilot.press(*"for i in range(999): print(i)", "enter")
        await wait_until(pilot, lambda: not pad.running)
        lines = "\n".join(pad.transcript).splitlines()
        assert "199" in lines and "200" not in lines  # 200 lines are kept, then a note
        assert lines[-1].startswith("[output truncated: 799 more lines")
        await pilot.press("f2")
        assert not isinstance(app.screen, ScratchpadScreen)


def test_the_least_recently_used_kernel_is_closed() -> None:
    pool = KernelPool(max_alive=2)
    first = pool.warm("a")
    pool.warm("b")
    pool.warm("a")  # "a" was used last, so "b" is the one to go
    pool.warm("c")
    assert pool.alive == ["a", "c"]
    pool.close_all()
    assert not first.alive and pool.alive == []


def test_history_walks_back_and_forth_keeping_the_draft() -> None:
    history = InputHistory()
    for line in ("a = 1", "a = 1", "b = 2"):
        history.add(line)
    assert history.lines == ["a = 1", "b = 2"]
    assert history.previous("draft") == "b = 2"
    assert history.previous("b = 2") == "a = 1"
    assert history.previous("a = 1") == "a = 1"
    assert history.next() == "b = 2"
    assert history.next() == "draft"


def test_python_is_highlighted_without_tree_sitter() -> None:
    highlights = pygments_highlights("for i in range(3):  # 注释\n    s = 'é' + 1.5\n")
    assert (0, 3, "keyword") in highlights[0]
    comment = next(h for h in highlights[0] if h[2] == "comment")
    assert comment[1] - comment[0] == len("# 注释".encode())  # TextArea counts UTF-8 bytes
    styles = {name for _, _, name in highlights[1]}
    assert {"string", "float"} <= styles
    assert isinstance(PythonEditor.code_editor("x = 1", language="python"), PythonEditor)


def test_a_lent_kernel_is_not_closed_to_make_room() -> None:
    """A grader holding the quiz kernel keeps it alive while lessons' kernels come and go."""
    from d2l_tui.ui.kernels import KernelPool

    pool = KernelPool(max_alive=2)
    try:
        with pool.holding("quiz") as quiz_kernel:
            for lesson in ("a", "b", "c"):
                pool.warm(lesson)
            assert quiz_kernel.alive and "quiz" in pool.alive
            assert len(pool.alive) <= 3  # the held one may stand beyond the limit, the idle ones may not
            assert quiz_kernel.run("6 * 7").value_repr == "42"
    finally:
        pool.close_all()


async def test_scratchpad_takes_blocks_like_a_console(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        pad = app.screen
        assert isinstance(pad, ScratchpadScreen)
        prompt = pad.query_one(PromptInput)

        async def block(*lines: str) -> None:
            """Type lines (Enter after each; the editor indents), then Enter on the empty line."""
            for line in lines:
                await pilot.press(*line, "enter")
            assert pad.running is False and prompt.text  # not run yet: the block is open
            await pilot.press("enter")
            await wait_until(pilot, lambda: not pad.running and not prompt.text)
            await wait_until(pilot, lambda: not pad.running)

        await block("for i in range(3):", "print(i * i)")
        await wait_until(pilot, lambda: "\n".join(pad.transcript).endswith("4"))
        assert "\n".join(pad.transcript) == ">>> for i in range(3):\n...     print(i * i)\n0\n1\n4"
        await block("def twice(x):", "return 2 * x")
        await pilot.press(*"twice(21)", "enter")
        await wait_until(pilot, lambda: pad.transcript[-1] == "42")

        # Up at the first line walks back; inside a block it moves the cursor first.
        await pilot.press("up")
        assert prompt.text == "twice(21)"
        await pilot.press("up")
        assert prompt.text == "def twice(x):\n    return 2 * x"
        await pilot.press("up", "up")  # to the block's first line, then one entry back
        assert prompt.text.startswith("for i in range(3):")
        await pilot.press("ctrl+a", *"1 +")  # Ctrl+A selects all: typing replaces it
        assert prompt.text == "1 +"
        await pilot.press("enter")  # a syntax error still runs, to say what is wrong
        await wait_until(pilot, lambda: "SyntaxError" in pad.transcript[-1])


async def test_ctrl_a_selects_all_in_a_code_cell(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        cell = await open_environment(pilot, app)
        cell.editor.focus()
        await pilot.press("ctrl+a", *"7 * 6")
        assert cell.editor.text == "7 * 6"
        assert await run_cell(pilot, cell) == "42"
