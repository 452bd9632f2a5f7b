"""The typed way for a widget or screen to reach the tutor app, its session and its lesson.

Widgets live only inside `TutorApp`; these helpers say so to the type checker and fail loudly
(instead of duck typing with `getattr`) if a widget is ever mounted in another app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from d2l_tui.course.model import Lesson
    from d2l_tui.ui.app import TutorApp
    from d2l_tui.ui.session import SessionState


def tutor_app(node: DOMNode) -> TutorApp:
    """The `TutorApp` a widget or screen belongs to."""
    from d2l_tui.ui.app import TutorApp  # the app module imports the widgets: import it late

    app = node.app
    if not isinstance(app, TutorApp):
        raise TypeError(f"{type(node).__name__} runs only inside TutorApp, not {type(app).__name__}")
    return app


def session(node: DOMNode) -> SessionState:
    """What lives as long as the app: kernels, panel histories, the last measurement."""
    return tutor_app(node).session


def lang_of(node: DOMNode) -> str:
    """The course language the app shows now."""
    return tutor_app(node).lang


def lesson_of(node: DOMNode) -> Lesson | None:
    """The lesson on the screen a widget is part of; None on other screens (the scratchpad's map)."""
    from d2l_tui.ui.screens.lesson import LessonScreen

    screen = node.screen
    return screen.lesson if isinstance(screen, LessonScreen) else None
