"""The command palette and the Footer in the learner's language, and a palette that survives page keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets._footer import FooterKey
from textual.widgets.option_list import Option

from d2l_tui.ui.app import make_app
from d2l_tui.ui.app_words import KEY_WORDS_ZH
from d2l_tui.ui.palette import CoursePalette
from d2l_tui.ui.screens.help import HelpScreen
from test_app import settle, wait_for

SIZE = (100, 30)
LATIN = re.compile(r"[A-Za-z]{2,}")
"""English words (a key's name like `n` or `F5` is one letter or has digits)."""


def footer_words(app) -> dict[str, str]:
    """The Footer's keys and the words beside them."""
    return {key.key_display: key.description for key in app.screen.query(FooterKey) if key.description}


def highlighted_or_any(app) -> str:
    """The text of every option in the palette's list."""
    commands = app.screen.query_one(CommandList)
    return " ".join(str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count))


def hidden_list_with_hits(palette: CommandPalette) -> CommandList:
    """The palette's list hidden (no height) while it holds hits, as between two searches."""
    commands = palette.query_one(CommandList)
    commands.clear_options().add_options([Option(f"hit {i}") for i in range(30)])
    commands.highlighted = 0
    return commands


async def test_chinese_footer_and_help_have_no_english_words(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="autograd")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: bool(footer_words(app)))
        words = footer_words(app)
        assert "搜索" in words.values()
        english = {key: said for key, said in words.items() if LATIN.search(said) and said != "中/En"}
        assert english == {}
        card = next(c for c in app.screen.query("QuizCard") if c.quiz.kind in ("choice", "multi"))
        card.focus()
        await pilot.pause()
        words = footer_words(app)
        assert "提交" in words.values() and "看答案" in words.values(), words
        app.screen.query_one("#outline").focus()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        english = [said for _, said in app.screen.bindings if LATIN.search(said) and said != "中/En"]
        assert english == []  # Textual's own (the outline's Up, Select) too
        assert app.screen.bindings[0][1] in KEY_WORDS_ZH.values()  # the tutor's keys before Textual's scrolling
        assert "Help" not in str(app.screen.query_one("VerticalScroll").border_title)


async def test_the_footer_changes_language_with_the_course(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Help" in footer_words(app).values())
        await pilot.press("l")
        await wait_for(pilot, lambda: "帮助" in footer_words(app).values())


async def test_chinese_palette_words_and_system_commands(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CoursePalette))
        assert app.screen.query_one(CommandInput).placeholder == "搜索课、小节和命令……"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "主题" in titles and "截图" in titles
        assert not [title for title in titles if LATIN.search(title)]
        await pilot.press(*"zqzqzq")
        await wait_for(pilot, lambda: "没有找到" in highlighted_or_any(app))
        await pilot.press(*["backspace"] * 6, *"按键")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_page_keys_in_a_palette_without_a_laid_out_list_do_not_raise(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CoursePalette))
        palette = app.screen
        palette._list_visible = False
        await pilot.pause()
        hidden_list_with_hits(palette)
        with pytest.raises(KeyError):  # Textual 8.2.8's own palette, for the record
            CommandPalette._action_command_list(palette, "page_down")
        commands = hidden_list_with_hits(palette)
        palette._action_command_list("page_down")
        palette._action_command_list("page_up")
        assert commands.highlighted == 0
        palette._list_visible = True
        await pilot.pause()
        await pilot.press("pagedown")
        assert commands.highlighted and commands.highlighted > 1


async def test_the_scratchpad_footer_speaks_chinese_too(isolated_data_dir: Path) -> None:
    from d2l_tui.ui.screens.scratchpad import ScratchpadScreen

    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="preface")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ScratchpadScreen) and bool(footer_words(app)))
        english = {key: said for key, said in footer_words(app).items() if LATIN.search(said) and said != "中/En"}
        assert english == {}
        await pilot.press("f2")
