"""80x24 and 60x20 work: outline, course map titles, Footer keys, and the place kept across a resize."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList
from textual.widgets._footer import FooterKey

from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.course_map import CourseMapScreen
from d2l_tui.ui.screens.lesson import LessonContent, LessonScreen
from d2l_tui.ui.widgets.course_footer import key_width
from test_app import settle, wait_for


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_a_narrow_lesson_hides_its_outline_until_o_shows_it(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="autograd")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        outline = screen.query_one("#outline", OptionList)
        assert not outline.display and app.focused is screen.query_one(LessonContent)
        await pilot.press("o")
        assert outline.display and app.focused is outline
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: screen.position == (2, -1))
        assert not outline.display and app.focused is screen.query_one(LessonContent)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert outline.display  # room for it again


async def test_course_map_titles_end_in_an_ellipsis_and_every_column_fits(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen) and app.screen.rows)
        table = app.screen.query_one("#lessons", DataTable)
        await pilot.pause()
        assert table.virtual_size.width <= table.scrollable_content_region.width, "the quiz column is cut off"
        titles = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert any(title.endswith("…") for title in titles)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        titles = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert not any(title.endswith("…") for title in titles)  # whole titles where they fit


async def test_the_footer_drops_the_palette_key_rather_than_draw_it_over_other_keys(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: any(k.has_class("-command-palette") for k in footer_keys(app)))
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: not any(k.has_class("-command-palette") for k in footer_keys(app)))
        keys = footer_keys(app)
        assert sum(key_width(k) for k in keys) <= 60 and all(k.region.right <= 60 for k in keys)  # none cut
        assert "返回课程表" in [k.description for k in keys]
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: any(k.has_class("-command-palette") for k in footer_keys(app)))
        assert sum(key_width(k) for k in footer_keys(app)) <= 100


async def test_a_resize_keeps_the_focused_block_and_the_paragraph_on_screen(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="autograd")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen: LessonScreen = app.screen
        content = screen.query_one(LessonContent)
        card = [c for c in screen.query("QuizCard")][1]
        screen._focus_block(card)
        content.scroll_to_widget(card, animate=False, top=True)
        await pilot.pause(0.3)
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.5)
        top, bottom = content.scroll_y, content.scroll_y + content.scrollable_content_region.height
        assert card.virtual_region.y < bottom and card.virtual_region.bottom > top, "the focused block left the screen"
        content.focus()
        heading = screen.widget_for((4, -1))
        content.scroll_to_widget(heading, animate=False, top=True)
        await wait_for(pilot, lambda: screen.position == (4, -1))
        for size in ((80, 24), (100, 30), (60, 20)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.4)
            assert abs(content.scroll_y - heading.virtual_region.y) <= 1, size


async def test_theme_switches_and_notices_keep_the_place_and_stay_off_the_text(isolated_data_dir: Path) -> None:
    from textual.widgets._toast import Toast

    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="autograd")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        screen: LessonScreen = app.screen
        content = screen.query_one(LessonContent)
        heading = screen.widget_for((3, -1))
        content.scroll_to_widget(heading, animate=False, top=True)
        await wait_for(pilot, lambda: screen.position == (3, -1))
        scroll_y = content.scroll_y
        for _ in range(3):
            await pilot.press("t")  # a new theme, and a notice saying which
            await pilot.pause(0.2)
        assert screen.position == (3, -1) and content.scroll_y == scroll_y
        await wait_for(pilot, lambda: bool(list(screen.query(Toast))))
        await pilot.pause()
        toasts = list(screen.query(Toast))
        for toast in toasts:
            assert not toast.region.overlaps(content.region.shrink((0, 0, 0, 2))), "a notice covers the lesson's text"


async def test_the_search_bar_shows_above_the_footer_and_its_notices_above_it(isolated_data_dir: Path) -> None:
    from textual.widgets._toast import Toast

    from d2l_tui.ui.widgets.course_footer import CourseFooter
    from d2l_tui.ui.widgets.search_bar import SearchBar

    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson="ndarray")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"broadcast", "enter")
        await wait_for(pilot, lambda: bool(list(app.screen.query(Toast))))
        await pilot.pause()
        bar, footer = app.screen.query_one(SearchBar), app.screen.query_one(CourseFooter)
        assert bar.region.height == 1 and not bar.region.overlaps(footer.region), (bar.region, footer.region)
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(bar.region), "a notice covers the query being typed"


async def test_on_a_narrow_lesson_notices_are_brief_and_one_wide_line(isolated_data_dir: Path) -> None:
    from textual.widgets._toast import Toast

    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await settle(pilot, app)
        app.notify("读到这一课的结尾了", timeout=4)
        app.notify("文件坏了", severity="warning", timeout=10)
        await wait_for(pilot, lambda: len(list(app.screen.query(Toast))) == 2)
        brief, warning = sorted(app._notifications, key=lambda n: n.timeout)
        assert brief.timeout == 2.0 and warning.timeout == 10  # warnings keep their time
        toast = next(t for t in app.screen.query(Toast) if "结尾" in str(t.render()))
        assert toast.region.height == 1 and toast.region.width >= 50  # (the rack keeps a scroll bar's width)
