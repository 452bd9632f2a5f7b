"""The real app driven by Pilot: navigation, language, search, progress, broken lessons, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable

from d2l_tui.quiz.records import QuizRecord, after_reveal, quiz_blocks
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.help import HelpScreen
from d2l_tui.ui.screens.lesson import LessonContent, LessonScreen
from d2l_tui.ui.widgets.directive_card import DirectiveCard
from d2l_tui.ui.widgets.doctor_panel import DoctorPanel

pytestmark = pytest.mark.every_python  # the app's core flows, on each supported Python (.ci/run)

SIZE = (100, 30)


def highlighted_command(app) -> str:
    """The text of the command palette's highlighted hit ('' when there is none yet)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return ""
    option_list = lists.first()
    return str(option_list.get_option_at_index(option_list.highlighted).prompt)


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await pilot.pause(0.05)


async def settle(pilot, app, timeout: float = 30.0) -> None:
    """Let a lesson on screen paint and mount wholly, and background work finish.

    `workers.wait_for_complete()` alone raced: under load the lesson's mounting worker starts
    after its first paint, which may come after the wait began.
    """
    import time

    deadline = time.monotonic() + timeout
    while isinstance(app.screen, LessonScreen) and not (
        app.screen.first_paint_at and app.screen.fully_mounted
    ):
        assert time.monotonic() < deadline, "the lesson never finished mounting"
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_map_lists_lessons_and_enter_opens_one(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, CourseMapScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.course.in_language("zh")) >= 2
        await pilot.press("down", "enter")
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "environment" and app.screen.lesson.lang == "zh"
        await pilot.press("p")
        assert app.screen.lesson.id == "preface"
        await pilot.press("n")
        assert app.screen.lesson.id == "environment"
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)
        assert "MXNet 1.9.1 ready" in app.mxnet_status


async def test_outline_jump_and_language_switch_keep_the_place(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        screen.jump_to((3, -1))
        await settle(pilot, app)
        assert screen.position == (3, -1)
        content = screen.query_one(LessonContent)
        assert content.scroll_y > 0
        await pilot.press("l")
        await settle(pilot, app)
        english = app.screen
        assert isinstance(english, LessonScreen) and english is not screen
        assert (english.lesson.id, english.lesson.lang) == ("preface", "en")
        assert english.position == (3, -1)
        heading = english.widget_for((3, -1))
        assert heading is not None
        # At the top of the view (its one-line top margin may show above it). The scroll comes after
        # the new screen's layout, which a loaded machine may paint after `settle` returned: wait for it.
        english_content = english.query_one(LessonContent)
        await wait_for(pilot, lambda: 0 <= heading.virtual_region.y - english_content.scroll_y <= 1)
        assert json.loads((isolated_data_dir / "progress.json").read_text())["settings"]["lang"] == "en"


async def test_search_jumps_from_hit_to_hit(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        await pilot.press("slash", *"imagenet", "enter")
        await settle(pilot, app)
        hits = screen.search_hits
        assert len(hits) >= 2, hits
        first = screen.widget_for(hits[0])
        assert first is not None and first.has_class("-hit")
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.position == hits[1]
        assert not first.has_class("-hit") and screen.widget_for(hits[1]).has_class("-hit")
        await pilot.press("escape")
        assert isinstance(app.focused, LessonContent)
        await pilot.press("f3")
        await settle(pilot, app)
        assert screen.position == hits[2 % len(hits)]


async def test_progress_survives_a_restart(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    # A lesson completes when its end is reached and its quizzes are settled: reveal them first.
    for block in quiz_blocks(app.course.body(app.course.get("preface", "zh"))):
        app.progress.quizzes[block.data["id"]] = after_reveal(QuizRecord()).to_json()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.screen.jump_to((2, -1))
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        await pilot.press("q")
    saved = json.loads((isolated_data_dir / "progress.json").read_text())
    assert saved["lessons"]["preface"]["completed"] is True
    again = make_app(data_dir=isolated_data_dir, lang="zh")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        rows = again.screen.rows
        assert [row.status for row in rows][:2] == ["done", "new"]
        assert again.screen.query_one(DataTable).cursor_row == 0
        await pilot.press("enter")
        await settle(pilot, again)
        screen = again.screen
        assert isinstance(screen, LessonScreen)
        saved_position = (saved["lessons"]["preface"]["section"], saved["lessons"]["preface"]["item"])
        assert saved_position != (0, -1)
        assert screen.position == saved_position
        assert screen.query_one(LessonContent).scroll_y > 0


async def test_corrupt_progress_file_is_kept_aside_and_named(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "progress.json").write_text("{not json", encoding="utf-8")
    app = make_app(data_dir=isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        kept = list(isolated_data_dir.glob("progress.corrupt-*.json"))
        assert len(kept) == 1 and kept[0].read_text() == "{not json"
        assert any(str(kept[0]) in n.message for n in app._notifications)
        status = str(app.screen.query_one("#status-line").render())
        assert kept[0].name in status.replace("\n", "")


async def test_broken_lessons_are_marked_and_shown_with_their_lines(broken_course: Path, isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=broken_course, data_dir=isolated_data_dir, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        statuses = {row.lesson.id: row.status for row in app.screen.rows}
        assert statuses["bad-blocks"] == "broken" and statuses["bad-yaml"] == "broken"
        app.open_lesson("bad-blocks")
        await settle(pilot, app)
        screen = app.screen
        problems = str(screen.query_one("#problems").render())
        assert f"{broken_course / 'zh' / 'bad-blocks.md'}:17: unknown directive 'hologram'" in problems.replace("\n", "")
        cards = list(screen.query(DirectiveCard))
        assert [card.block.type for card in cards] == ["quiz", "hologram", "quiz"]  # "code" is a live cell now
        assert cards[1].has_class("-unknown") and cards[0].has_class("-broken")
        await pilot.press("escape")
        app.open_lesson("good")
        await settle(pilot, app)
        assert not app.screen.lesson.broken
        assert not list(app.screen.query("#problems"))


async def test_tab_moves_between_interactive_blocks_and_doctor_runs(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        blocks = [w for w in app.screen.query("DirectiveCard, DoctorPanel, QuizCard")]
        assert len(blocks) >= 2
        await pilot.press("tab")
        if app.focused is app.screen.query_one("#outline"):
            await pilot.press("tab")
        assert app.focused is blocks[0]
        await pilot.press("tab")
        assert app.focused is blocks[1]
        assert app.screen.query_one(LessonContent).region.contains_region(blocks[1].region) or blocks[1].region.height > 20
        doctor = app.screen.query_one(DoctorPanel)
        assert doctor.findings and {f.name for f in doctor.findings} >= {"Python", "MXNet", "CPU"}


async def test_help_and_quit(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.bindings)
        assert keys.get("/") == "Search" and keys.get("n") == "Next"
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_keys_can_be_remapped_by_binding_id(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "keymap.json").write_text(json.dumps({"next-lesson": "right_square_bracket"}))
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        assert app.screen.lesson.id == "preface"
        await pilot.press("right_square_bracket")
        assert app.screen.lesson.id == "environment"


async def test_command_palette_jumps_to_a_section(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    lesson = app.course.body(app.course.get("preface", "zh"))
    target = lesson.sections[1].title
    assert target not in lesson.title
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*target)
        await wait_for(pilot, lambda: target in highlighted_command(app))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "preface" and app.screen.position == (1, -1)


async def test_tab_from_the_outline_goes_to_a_block_on_screen_not_back_to_the_top(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="linear-regression-scratch")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        panel_section = next(i for i, s in enumerate(screen.lesson.sections) if s.title.startswith("The training panel"))
        screen.jump_to((panel_section, -1))
        await settle(pilot, app)
        heading = screen.widget_for((panel_section, -1))
        content = screen.query_one(LessonContent)
        await wait_for(pilot, lambda: heading is not None and content.scroll_y >= heading.virtual_region.y - 1)
        screen.action_focus_outline()
        await pilot.press("tab")
        block = next(node for node in app.focused.ancestors_with_self if hasattr(node, "ref"))
        assert block.ref[0] >= panel_section, (block, block.ref)
        top = screen.query_one(LessonContent).scroll_y
        assert block.virtual_region.bottom > top  # on screen: nothing scrolled away
        await pilot.press("shift+tab")  # inside a block, Shift+Tab steps back through the lesson as before
        assert app.focused is not None


async def test_the_app_speaks_the_course_language(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("p")
        assert any(n.message == "这是第一课。" for n in app._notifications)
        await pilot.press("question_mark")
        keys = dict(app.screen.bindings)
        assert keys.get("/") == "搜索" and keys.get("n") == "下一课" and keys.get("q") == "退出"
        await pilot.press("escape", "l", "p")
        await settle(pilot, app)
        assert any(n.message == "This is the first lesson." for n in app._notifications)


async def test_tab_at_the_end_of_a_lesson_goes_to_its_last_block(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="gpu")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        screen.jump_to((len(screen.lesson.sections) - 1, -1))  # "what's next": no block below
        await settle(pilot, app)
        content = screen.query_one(LessonContent)
        await wait_for(pilot, lambda: content.scroll_y > 0)
        screen.action_focus_outline()
        await pilot.press("tab")
        last = screen._blocks()[-1]
        assert app.focused is last or last in app.focused.ancestors_with_self


async def test_a_deep_palette_jump_paints_its_section_first_and_keeps_it_on_top(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        lesson = app.course.body(app.course.get("autograd", "en"))
        last = len(lesson.sections) // 2 + 1  # deep, yet far enough from the end to reach the top
        app.open_lesson("autograd", section=last)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.first_paint_at is not None)
        screen = app.screen
        heading = screen.widget_for((last, -1))
        assert heading is not None
        await settle(pilot, app)
        content = screen.query_one(LessonContent)
        # At the top, or as near as the lesson's end allows.
        await wait_for(pilot, lambda: abs(content.scroll_y - min(heading.virtual_region.y, content.max_scroll_y)) <= 1)
        assert content.scroll_y > 20 and screen.fully_mounted
        from d2l_tui.ui.widgets.prose import ItemWidget

        assert [w.ref for w in content.query_children(ItemWidget)] == [ref for ref, _ in screen._refs]  # in lesson order
        assert screen.position == (last, -1)
