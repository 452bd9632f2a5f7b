"""Focus follows the view: keys act on the block the learner sees, never on one paged out of view."""

from __future__ import annotations

from pathlib import Path

from test_app import settle

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonContent, LessonScreen
from d2l_tui.ui.widgets.code_cell import CodeCell
from d2l_tui.ui.widgets.prose import ItemWidget

SIZE = (80, 24)
"""The learner's terminal in the report (zh, 80x24)."""


def cell_titled(screen: LessonScreen, words: str) -> CodeCell:
    return next(cell for cell in screen.query(CodeCell) if words in str(cell.border_title))


def in_view(screen: LessonScreen, widget: ItemWidget) -> bool:
    """True when some line of `widget` is inside the lesson's viewport."""
    content = screen.query_one(LessonContent)
    top, height = content.scroll_y, content.scrollable_content_region.height
    region = widget.virtual_region
    return region.bottom > top and region.y < top + height


def block_of(screen: LessonScreen, widget) -> ItemWidget:
    return next(n for n in widget.ancestors_with_self if isinstance(n, ItemWidget))


async def open_weight_decay(pilot, app) -> LessonScreen:
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == "weight-decay"
    return screen


async def scroll_to_cell(pilot, app, screen: LessonScreen, cell: CodeCell) -> None:
    """Jump to a cell further down, and let the cells above it finish growing."""
    screen.jump_to(cell.ref)
    await settle(pilot, app)
    await pilot.pause(0.3)


async def edit(pilot, screen: LessonScreen, cell: CodeCell) -> None:
    """Focus a cell as the learner's Tab does: the cursor goes into its editor."""
    screen._focus_block(cell)
    await pilot.pause()


async def park(pilot, screen: LessonScreen, cell: CodeCell) -> None:
    """Edit a cell, then Esc: the cell keeps focus, the lesson's keys and the cell's work."""
    await edit(pilot, screen, cell)
    await pilot.press("escape")
    await pilot.pause()


async def wheel_down(pilot, content: LessonContent) -> None:
    """Move the view six pages down without a key, as the mouse wheel (or output growing above) does."""
    for _ in range(6):
        content.scroll_page_down(animate=False)
        await pilot.pause()


async def test_ctrl_r_after_paging_away_does_not_run_the_cell_out_of_view(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        cell = cell_titled(screen, "200 个输入")
        await scroll_to_cell(pilot, app, screen, cell)
        await edit(pilot, screen, cell)
        assert app.focused is cell.editor
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is cell  # parked: the lesson's keys and the cell's (Enter, Ctrl+R) work
        for _ in range(10):
            await pilot.press("space")
            if not in_view(screen, cell):
                break
        await pilot.pause()
        assert not in_view(screen, cell)
        content = screen.query_one(LessonContent)
        assert app.focused is content, app.focused
        assert "code-run" not in {b.binding.id for b in screen.active_bindings.values()}  # the footer's keys
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        assert not cell.running and cell.result is None
        assert not screen.query_one(LessonContent).has_focus or app.focused is content
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not None and app.focused is not content
        assert in_view(screen, block_of(screen, app.focused)), app.focused


async def test_space_keeps_paging_once_focus_left_the_block(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        await park(pilot, screen, screen.query(CodeCell).first())
        content = screen.query_one(LessonContent)
        positions = []
        for _ in range(6):
            await pilot.press("space")
            positions.append(content.scroll_y)
        assert positions == sorted(positions) and positions[-1] > positions[0]
        assert app.focused is content


async def test_a_partly_visible_block_keeps_focus(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        cell = screen.query(CodeCell).first()
        await park(pilot, screen, cell)
        content = screen.query_one(LessonContent)
        content.scroll_to(y=cell.virtual_region.bottom - 1, animate=False)  # its last line still shows
        await pilot.pause()
        assert in_view(screen, cell) and app.focused is cell


async def test_the_editor_being_typed_in_keeps_focus_and_its_text(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        cell = screen.query(CodeCell).first()
        await edit(pilot, screen, cell)
        await pilot.press("end", *"# mine")
        await wheel_down(pilot, screen.query_one(LessonContent))  # the view moves, not the keys
        assert not in_view(screen, cell)
        assert app.focused is cell.editor and "# mine" in cell.editor.text
        await pilot.press("escape")  # a key for the cell brings it back into view before it acts
        await pilot.pause()
        assert in_view(screen, cell) and app.focused is cell


async def test_a_cell_pushed_out_of_view_by_output_above_does_not_run(isolated_data_dir: Path) -> None:
    from textual.widgets import Static

    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        cell = cell_titled(screen, "fit_and_plot")
        await scroll_to_cell(pilot, app, screen, cell)
        await park(pilot, screen, cell)
        assert app.focused is cell and in_view(screen, cell)
        content = screen.query_one(LessonContent)
        scroll_y = content.scroll_y
        # Output growing above the cell, with no scroll: the cell moves down out of the view.
        await content.mount(Static("\n".join(["输出"] * 60)), before=cell)
        await pilot.pause()
        assert content.scroll_y == scroll_y and not in_view(screen, cell) and app.focused is cell
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        assert not cell.running and cell.result is None
        assert app.focused is content


async def test_typing_into_an_editor_out_of_view_brings_it_back(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        cell = screen.query(CodeCell).first()
        await edit(pilot, screen, cell)
        await wheel_down(pilot, screen.query_one(LessonContent))
        assert not in_view(screen, cell) and app.focused is cell.editor
        await pilot.press(*"x1")
        await pilot.pause()
        assert in_view(screen, cell) and "x1" in cell.editor.text


async def test_focusing_a_block_far_away_keeps_its_focus_while_the_view_scrolls_to_it(
    isolated_data_dir: Path,
) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="weight-decay")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_weight_decay(pilot, app)
        app.animation_level = "full"  # the scroll to the block is animated, as in a terminal
        card = list(screen.query("QuizCard"))[-1]
        assert not in_view(screen, card)
        card.focus()
        await pilot.pause(1.0)
        assert app.focused is card and in_view(screen, card)
