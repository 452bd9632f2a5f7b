"""Work that lasts: saved code and outputs, restored variables, run all above, and folder trust.

Real app (Pilot), real kernels, a real course folder (tests/fixtures/cells_course).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from d2l_tui.trust import TrustStore
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.screens.confirm import ConfirmScreen
from d2l_tui.ui.screens.lesson import LessonContent, LessonScreen
from d2l_tui.ui.widgets.code_cell import CodeCell

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (100, 30)
C_SUM = "[16.]\n<NDArray 1 @cpu(0)>"
"""What the third cell shows: (a * 2 + 1).sum() for a = 0, 1, 2, 3."""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the cells course: a folder that is not the shipped course."""
    target = tmp_path / "cells_course"
    shutil.copytree(FIXTURES / "cells_course", target)
    return target


def trusted(course: Path, data_dir: Path) -> Path:
    TrustStore.open(data_dir).remember(course, True)
    return course


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out waiting"
        await pilot.pause(0.02)


async def cells_of(pilot, app: TutorApp, lesson_id: str = "cells") -> list[CodeCell]:
    await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson_id)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    await wait_until(pilot, lambda: screen.query(LessonContent))  # composed
    await screen.mount_all_now()
    await pilot.pause()
    return list(screen.query(CodeCell))


async def run(pilot, cell: CodeCell, code: str | None = None, key: str = "ctrl+r") -> str:
    """Type `code` over the cell's code (select all, then type), run it, and return the output."""
    cell.editor.focus()
    await pilot.pause()
    if code is not None:
        await pilot.press("ctrl+a", *[("enter" if ch == "\n" else ch) for ch in code])
        assert cell.editor.text == code
    before = (cell.result, cell.output_text)
    await pilot.press(key)
    await wait_until(pilot, lambda: not cell.running and (cell.result, cell.output_text) != before)
    return cell.output_text


def highlighted_command(app) -> str:
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return ""
    options = lists.first()
    return str(options.get_option_at_index(options.highlighted).prompt)


async def palette_jump(pilot, app, title: str) -> None:
    await pilot.press("ctrl+p", *title)
    await wait_until(pilot, lambda: title in highlighted_command(app))
    await pilot.press("enter")


async def test_code_and_output_come_back_after_leaving_a_jump_a_language_switch_and_a_restart(
    course: Path, isolated_data_dir: Path
) -> None:
    trusted(course, isolated_data_dir)
    code = "a = nd.arange(5)\nprint('made', a.size)"
    app = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        first = (await cells_of(pilot, app))[0]
        assert await run(pilot, first, code) == "made 5"
        stamp = first.border_subtitle

        def same(cell: CodeCell) -> bool:
            return cell.editor.text == code and cell.output_text == "made 5"

        await pilot.press("escape", "escape")  # out of the editor, then back to the map
        await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await pilot.pause(0.3)  # the map settles first
        app.open_lesson("cells")
        restored = (await cells_of(pilot, app))[0]
        assert restored is not first and same(restored)
        assert restored.border_subtitle.startswith("✔") and " · " in restored.border_subtitle

        await palette_jump(pilot, app, "Another lesson")
        await wait_until(pilot, lambda: app.screen.lesson.id == "other")
        await palette_jump(pilot, app, "Cells that build")
        assert same((await cells_of(pilot, app))[0])

        app.action_switch_language()
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.lang == "zh")
        zh = (await cells_of(pilot, app))[0]
        assert same(zh) and zh.border_title == "做出 a"
        assert "毫秒" in zh.border_subtitle or "秒" in zh.border_subtitle
        assert stamp.split(" · ")[0] != zh.border_subtitle.split(" · ")[0]  # the status speaks zh now

    again = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with again.run_test(size=SIZE) as pilot:
        cell = (await cells_of(pilot, again))[0]
        assert same(cell)
        cell.editor.focus()
        await pilot.pause()
        await pilot.press("f5")  # the starter code is back, and Ctrl+Z brings the learner's back
        assert cell.editor.text == cell.starter
        await pilot.press("ctrl+z")
        assert cell.editor.text == code


async def test_a_new_kernel_reruns_the_cells_above_and_says_so(course: Path, isolated_data_dir: Path) -> None:
    trusted(course, isolated_data_dir)
    app = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make, double, _ = await cells_of(pilot, app)
        assert await run(pilot, make) == "made a"
        assert (await run(pilot, double)).endswith("<NDArray 4 @cpu(0)>")

    # After a restart the kernel is new: the two cells above run again first, in order.
    app = make_app(course, isolated_data_dir, lang="zh", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make, double, third = await cells_of(pilot, app)
        output = await run(pilot, third)
        assert output == "恢复变量：重新运行了上面 2 个单元\n" + C_SUM
        assert make.output_text == "made a"  # the cells above show their new runs
        # Variables are there now: running it again replays nothing.
        assert await run(pilot, third) == C_SUM

        # F8 gives a fresh namespace; the next run restores it again.
        await pilot.press("f8")
        await wait_until(pilot, lambda: "重启" in third.output_text)
        assert (await run(pilot, third)).startswith("恢复变量：重新运行了上面 2 个单元\n")


async def test_name_error_names_the_cell_above_and_f6_runs_all_above(course: Path, isolated_data_dir: Path) -> None:
    trusted(course, isolated_data_dir)
    app = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make, double, third = await cells_of(pilot, app)
        output = await run(pilot, double)  # "a" was never made: its cell never ran
        assert "NameError: name 'a' is not defined" in output
        assert output.endswith("“a” is defined by the cell “Make a” above: run it first (F6 runs every cell above).")
        assert "F6 run above" in str(double.query_one(".code-hint").render())

        # In Chinese the same kept result reads in Chinese (the words are not kept, the result is).
        app.action_switch_language()
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.lang == "zh")
        make, double, third = await cells_of(pilot, app)
        assert double.output_text.endswith("“a”在上面的单元“做出 a”里定义：先运行它（按 F6 运行上面所有单元）。")
        assert double.border_subtitle.startswith("✘ 出错 · ")

        output = await run(pilot, third, key="f6")
        assert output == "运行了上面 2 个单元。"
        assert make.output_text == "made a" and double.output_text.endswith("<NDArray 4 @cpu(0)>")
        assert not double.has_class("-failed")
        assert await run(pilot, third) == C_SUM  # nothing to restore: no first line


async def test_an_untrusted_folder_runs_nothing_until_asked_and_the_answer_is_kept(
    course: Path, isolated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = tmp_path / "setup-mark"
    monkeypatch.setenv("D2L_TUI_SETUP_MARK", str(mark))
    app = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make = (await cells_of(pilot, app))[0]
        await pilot.pause(1.0)
        assert "cells" not in app.kernels.alive and not mark.exists()  # opening it ran nothing

        make.editor.focus()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "The code in this course folder will run on your computer. Do you trust it?" in app.screen.question
        await pilot.press("n")
        await pilot.pause(0.5)
        assert make.result is None and not mark.exists() and "cells" not in app.kernels.alive
        assert TrustStore.open(isolated_data_dir).answer(course) is False

        await pilot.press("ctrl+r")  # asked once more, after a no
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: make.result is not None)
        assert make.output_text == "made a" and mark.read_text() == "setup ran\n"
        assert TrustStore.open(isolated_data_dir).answer(course) is True

    mark.unlink()
    app = make_app(course, isolated_data_dir, lang="zh", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make = (await cells_of(pilot, app))[0]
        await wait_until(pilot, lambda: mark.exists())  # trusted now: setup runs as the kernel warms
        output = await run(pilot, make)
        assert output == "made a" and not isinstance(app.screen, ConfirmScreen)


async def test_the_shipped_course_never_asks(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await screen.mount_all_now()
        cell = screen.query_one(CodeCell)
        assert (await run(pilot, cell)).endswith("<NDArray 12 @cpu(0)>")
        assert not (isolated_data_dir / "trust.json").exists()


async def test_a_workbook_that_cannot_be_written_is_said_once_and_kept_in_memory(
    course: Path, isolated_data_dir: Path
) -> None:
    trusted(course, isolated_data_dir)
    (isolated_data_dir / "workbook" / "cells.json").mkdir(parents=True)  # a folder where the file should be
    app = make_app(course, isolated_data_dir, lang="zh", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make, double, _ = await cells_of(pilot, app)
        assert await run(pilot, make, "a = nd.ones(2)\nprint('ok')") == "ok"
        assert (await run(pilot, double)).endswith("<NDArray 2 @cpu(0)>")
        said = [n.message for n in app._notifications if "没法保存" in n.message]
        assert len(said) == 1 and "cells.json" in said[0]

        await pilot.press("escape", "escape")  # leave and come back: kept in memory
        await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await pilot.pause(0.3)
        app.open_lesson("cells")
        make = (await cells_of(pilot, app))[0]
        assert make.editor.text == "a = nd.ones(2)\nprint('ok')" and make.output_text == "ok"


async def test_a_code_quiz_in_an_untrusted_folder_is_checked_only_after_a_yes(course: Path, isolated_data_dir: Path) -> None:
    from d2l_tui.ui.widgets.quiz_card import QuizCard
    from d2l_tui.ui.widgets.quiz_parts import AnswerArea

    app = make_app(course, isolated_data_dir, lang="en", open_lesson="other")
    async with app.run_test(size=SIZE) as pilot:
        await cells_of(pilot, app, "other")
        card = app.screen.query_one(QuizCard)
        card.query_one(AnswerArea).focus()
        await pilot.press(*"nd.ones(3)", "ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: not card.checking)
        assert card.grade is None and card.record.attempts == 0
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: card.grade is not None)
        assert card.grade.outcome == "right"


async def test_leaving_while_a_cell_runs_keeps_how_it_ended(course: Path, isolated_data_dir: Path) -> None:
    trusted(course, isolated_data_dir)
    app = make_app(course, isolated_data_dir, lang="en", open_lesson="cells")
    async with app.run_test(size=SIZE) as pilot:
        make = (await cells_of(pilot, app))[0]
        make.editor.focus()
        await pilot.press("ctrl+a", *"print('started')", "enter", *"while 1: pass", "ctrl+r")
        await wait_until(pilot, lambda: "started" in make.output_text)
        await pilot.press("escape", "escape")  # leaving stops the loop; its end is still kept
        await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await wait_until(pilot, lambda: not app.kernels.is_running("cells"))
        await pilot.pause(0.3)
        app.open_lesson("cells")
        make = (await cells_of(pilot, app))[0]
        assert make.editor.text == "print('started')\nwhile 1: pass"
        assert make.output_text.startswith("started\n")
        assert make.output_text.endswith("interrupted: your variables are still there")
