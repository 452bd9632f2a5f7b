"""The command palette in the course language, and safe from a page key before its list is laid out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.widgets.option_list import Option

from d2l_tui.ui.app_words import say

if TYPE_CHECKING:
    from d2l_tui.ui.app import TutorApp

PAGE_ACTIONS = {"page_down": "cursor_down", "page_up": "cursor_up"}
"""Page keys, and the one-line move they become while the list has no height."""


class CoursePalette(CommandPalette):
    """Textual's palette with our placeholder words, whose page keys never raise."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        """The course language, for the words the palette itself shows."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8.2.8 writes "No matches found" here; the same countdown, in the course language.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                no_matches = Align.center(Text(say(self.lang, "palette-no-matches"), style="not bold"))
                self.query_one(CommandList).add_option(Option(no_matches, disabled=True, id=self._NO_MATCHES))
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    def _action_command_list(self, action: str) -> None:
        # Textual 8.2.8: OptionList._move_page reads `_index_to_line[highlighted]`, which is
        # empty until the list is laid out, so a PageDown while it has no height raised
        # KeyError: 0 (twice in 5,102 fuzzed keys). Move one line instead; nothing is lost.
        if action in PAGE_ACTIONS:
            commands = self.query_one(CommandList)
            if not commands.scrollable_content_region.height or commands.highlighted not in range(commands.option_count):
                action = PAGE_ACTIONS[action] if commands.option_count else "first"
            else:
                try:
                    super()._action_command_list(action)
                except KeyError:  # laid out for an older list of hits: the next refresh fixes it
                    pass
                return
        super()._action_command_list(action)


def course_palette(lang: str) -> CoursePalette:
    """The app's palette (the id Textual gives its own, so `CommandPalette.is_open` holds)."""
    return CoursePalette(placeholder=say(lang, "palette-placeholder"), id="--command-palette", lang=lang)


def theme_palette(lang: str) -> CoursePalette:
    """A palette of the themes to choose from."""
    return CoursePalette(providers=[ThemeProvider], placeholder=say(lang, "palette-themes"), lang=lang)


def system_commands(app: TutorApp, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's system commands in the course language, using the tutor's own help and quit."""
    lang = app.lang
    yield SystemCommand(say(lang, "cmd-theme"), say(lang, "cmd-theme-help"), lambda: app.push_screen(theme_palette(lang)))
    yield SystemCommand(say(lang, "cmd-keys"), say(lang, "cmd-keys-help"), app.action_help)
    yield SystemCommand(say(lang, "cmd-quit"), say(lang, "cmd-quit-help"), app.action_request_quit)
    if screen.maximized is not None:
        yield SystemCommand(say(lang, "cmd-minimize"), say(lang, "cmd-minimize-help"), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(say(lang, "cmd-maximize"), say(lang, "cmd-maximize-help"), screen.action_maximize)
    yield SystemCommand(
        say(lang, "cmd-screenshot"), say(lang, "cmd-screenshot-help"), lambda: app.set_timer(0.1, app.deliver_screenshot)
    )
