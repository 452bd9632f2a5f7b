"""A command palette provider that jumps to any lesson or section by name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from d2l_tui.ui.app_words import say
from d2l_tui.ui.reach import tutor_app


class LessonCommands(Provider):
    """Offers every lesson and section of the current language."""

    def _targets(self) -> Iterator[tuple[str, str, tuple[str, int]]]:
        """(label, help, (lesson id, section index)) for each lesson and each of its sections."""
        app = tutor_app(self.screen)
        lang = app.lang
        open_it, jump = say(lang, "palette-open"), say(lang, "palette-jump")
        for lesson in app.course.in_language(lang):
            yield lesson.title, open_it, (lesson.id, -1)
            for index, section in enumerate(lesson.sections):
                if index == 0 and section.title == lesson.title:
                    continue
                yield f"{lesson.title} › {section.title}", jump, (lesson.id, index)

    async def discover(self) -> Hits:
        for label, help_text, (lesson_id, section) in self._targets():
            if section == -1:
                yield DiscoveryHit(label, partial(self._open, lesson_id, section), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, (lesson_id, section) in self._targets():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._open, lesson_id, section), help=help_text)

    def _open(self, lesson_id: str, section: int) -> None:
        tutor_app(self.screen).open_lesson(lesson_id, section=None if section < 0 else section)
