"""The d2l-tui application: screens, app-wide keys, progress and background MXNet loading."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from d2l_tui.carry_over import carry_lesson, carry_progress
from d2l_tui.course.cache import LessonCache
from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet
from d2l_tui.paths import cache_dir as default_cache_dir
from d2l_tui.paths import data_dir as resolve_data_dir
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.progress import ProgressStore
from d2l_tui.quiz.records import quiz_blocks, unsettled, unsettled_counts
from d2l_tui.review.clock import Clock
from d2l_tui.ui.app_words import end_missing, key_words, say
from d2l_tui.ui.cjk_wrap import install_cjk_wrapping
from d2l_tui.ui.collector import CollectorPause, freeze_long_lived
from d2l_tui.ui.kernels import KernelPool
from d2l_tui.ui.progress_notices import tell_ignored, tell_not_saved
from d2l_tui.ui.screens.lesson import OUTLINE_MIN_WIDTH, LessonScreen
from d2l_tui.ui.session import SessionState

if TYPE_CHECKING:
    from d2l_tui.ui.kernel_runner import KernelRunner
    from d2l_tui.ui.widgets.quiz_card import QuizCard

install_cjk_wrapping()

THEMES = ["textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night", "solarized-light"]
KEYMAP_FILE = "keymap.json"
NARROW_NOTICE_SECONDS = 2.0
"""How long a notice stays where it must lie over the text: below OUTLINE_MIN_WIDTH, with no outline."""
BUSY_GROUP_PREFIX = "run:"
"""Workers in groups starting with this (training runs, code cells) make `q` ask before quitting."""


def lesson_commands() -> type:
    """The palette's lesson provider, imported when the palette first opens (it costs ~35 ms)."""
    from d2l_tui.ui.commands import LessonCommands

    return LessonCommands


def course_map() -> Screen:
    """A new course map screen (imported on first use: the map is not always the first screen)."""
    from d2l_tui.ui.screens.course_map import CourseMapScreen

    return CourseMapScreen()


class TutorApp(App[int]):
    """A terminal tutor for Dive into Deep Learning."""

    TITLE = "d2l-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {lesson_commands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("l", "switch_language", "中/En", id="switch-language"),
        Binding("t", "switch_theme", "Theme", show=False, id="switch-theme"),
        # Listed in Help (?) and the README, not in the Footer: beside a panel's or a cell's keys
        # the Footer ran out of its 100 columns and drew the palette key over the last ones.
        Binding("f2", "scratchpad", "Scratchpad", show=False, id="scratchpad"),
        Binding("R", "review", "Review", show=False, id="review"),
        Binding("q", "request_quit", "Quit", id="quit"),
    ]

    @dataclass
    class MXNetLoaded(Message):
        """The background import of MXNet finished: its version, or why it cannot load and the fix."""

        ok: bool
        version: str = ""
        reason: str = ""
        fix: str = ""

    def __init__(
        self,
        lessons_dir: Path,
        data_dir: Path,
        lang: str | None = None,
        open_lesson: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.collector = CollectorPause()
        """Pauses the garbage collector while a screen is built (start-up, each lesson's first paint)."""
        self.collector.begin()
        self._starting = True
        self.data_dir = data_dir
        self.progress = ProgressStore.open(data_dir)
        self.progress.on_save_failed = partial(tell_not_saved, self)  # said once; each later save retries
        # Unchanged lessons come whole from the cache; of the others only the headers are read now:
        # their bodies are parsed when a lesson opens, and all of them after the first paint.
        self.course = Course.load(lessons_dir, bodies=False, cache=LessonCache(cache_dir))
        # A lesson that replaced an old one (`replaces:`) starts where the learner left the old one.
        carry_progress(self.progress, self.course.replaced)
        languages = self.course.languages or ["zh"]
        wanted = lang or self.progress.settings.get("lang", "zh")
        self.lang = wanted if wanted in languages else languages[0]
        self._mxnet_loaded: TutorApp.MXNetLoaded | None = None
        """How the background import of MXNet went; None while it runs."""
        self._open_at_start = open_lesson
        if self.progress.settings.get("theme", "textual-dark") not in self.available_themes:
            self.progress.ignore_setting("theme")  # named in the start-up notice instead of a crash
        self.theme = self.progress.settings.get("theme", "textual-dark")
        self._ends_noticed: set[str] = set()
        """Lessons whose end was reached in this session: what is missing is said once per session."""
        self.session = SessionState()
        """What lives as long as the app: kernels, panel histories, the last measurement."""
        self.clock = Clock()
        """When review answers are graded and what is due: tests set `clock.fixed` to move the day."""
        self.graphics = "half-blocks"  # image_pixels.HALF_BLOCKS; that module loads with the first picture
        """How pictures are drawn: half-blocks, or real pixels ("sixel", "tgp") when `d2l-tui` found
        the terminal draws them before the app ran (`ui/widgets/image_pixels.detect_graphics`)."""
        freeze_long_lived()  # what exists now (modules, the course) lives as long as the app

    def on_mount(self) -> None:
        self._apply_keymap()
        # Pushed from the message loop, not from here: a screen pushed during Textual's start-up
        # is awaited inside its start-up batch, which holds back all output until the screen's
        # first section has mounted, and then until whatever follows it has run too.
        self.call_later(self._show_first_screen)
        if self.progress.moved_aside:
            self.notify(
                say(self.lang, "progress-aside", error=self.progress.error, path=self.progress.moved_aside),
                title=say(self.lang, "progress-aside-title"),
                severity="warning",
                timeout=30,
            )
        tell_ignored(self)
        # Parsing every lesson and importing MXNet (~1 s) wait until the first screen is on the terminal.
        self.call_after_refresh(self.set_timer, 0.05, self.load_in_background)

    def _show_first_screen(self) -> None:
        """The lesson asked for with --open, else the course map."""
        if not (self._open_at_start and self.open_lesson(self._open_at_start)):
            self.push_screen(course_map())

    def load_in_background(self) -> None:
        """Start the work that must not delay the first paint."""
        self._end_startup_pause()
        self.load_course_bodies()
        self.load_mxnet_in_background()

    def _end_startup_pause(self) -> None:
        """Start-up is over: let the collector run again."""
        if self._starting:
            self._starting = False
            self.collector.end()

    @dataclass
    class CourseLoaded(Message):
        """Every lesson body has been parsed: broken marks and quiz counts are now known."""

    @work(thread=True, group="course-loader")
    def load_course_bodies(self) -> None:
        """Parse all lessons off the UI thread."""
        self.course.load_bodies()
        self.post_message(self.CourseLoaded())

    def on_tutor_app_course_loaded(self) -> None:
        self._refresh_map()

    def _refresh_map(self, status_only: bool = False) -> None:
        """Redraw the course map (or just its status line) wherever it is in the screen stack."""
        from d2l_tui.ui.screens.course_map import CourseMapScreen

        for screen in self.screen_stack:
            if isinstance(screen, CourseMapScreen):
                screen.update_status() if status_only else screen.refresh_rows()

    def _apply_keymap(self) -> None:
        """Remap keys from `keymap.json` in the data folder: {"binding-id": "key,other-key"}."""
        path = self.data_dir / KEYMAP_FILE
        if not path.exists():
            return
        try:
            keymap = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
                raise ValueError("expected an object of binding id to keys")
        except (OSError, ValueError) as error:
            self.notify(say(self.lang, "keymap-ignored", path=path, error=error), severity="warning", timeout=10)
            return
        self.set_keymap(keymap)

    @work(thread=True, group="mxnet-loader")
    def load_mxnet_in_background(self) -> None:
        """Import MXNet off the UI thread and report how it went."""
        try:
            mx = load_mxnet()
        except MXNetUnavailable as missing:
            self.post_message(self.MXNetLoaded(False, reason=missing.reason, fix=missing.fix))
        else:
            self.post_message(self.MXNetLoaded(True, version=mx.__version__))

    def on_tutor_app_mxnet_loaded(self, message: MXNetLoaded) -> None:
        self._mxnet_loaded = message
        self._refresh_map(status_only=True)

    @property
    def mxnet_ready(self) -> bool:
        """True once MXNet has been imported."""
        return self._mxnet_loaded is not None and self._mxnet_loaded.ok

    @property
    def mxnet_status(self) -> str:
        """MXNet's state in English (tests and benchmarks wait on it); `mxnet_line()` is the learner's."""
        return self.mxnet_line("en")

    def mxnet_line(self, lang: str | None = None) -> str:
        """MXNet's state in a language (the course's by default): loading, ready, or why not and the fix."""
        lang, loaded = lang or self.lang, self._mxnet_loaded
        if loaded is None:
            return say(lang, "mxnet-loading")
        if loaded.ok:
            return say(lang, "mxnet-ready", version=loaded.version)
        return say(lang, "mxnet-missing", reason=loaded.reason, fix=loaded.fix)

    # Lessons ----------------------------------------------------------------------------------

    def lessons(self) -> list[Lesson]:
        """The lessons of the current language, in order."""
        return self.course.in_language(self.lang)

    def open_lesson(self, lesson_id: str, section: int | None = None, item: int | None = None) -> bool:
        """Open a lesson at a section, or where the learner stopped; False when there is none."""
        screen = self._lesson_screen(lesson_id, section, item)
        if screen is None:
            return False
        if isinstance(self.screen, LessonScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return True

    def _carry_saved_work(self, lesson: Lesson) -> None:
        """Bring in the cells and panel runs that replaced lessons saved under ids this lesson kept."""
        replaced = list(self.course.replaced)
        if not replaced:
            return
        from d2l_tui.ui.kernel_runner import workbook_of

        try:
            carry_lesson(lesson, replaced, workbook_of(self), self.session.runs_file(self.data_dir))
        except OSError:
            pass  # the runs file cannot be written: they stay under the old lesson, and the panel says so on its save

    def _lesson_screen(self, lesson_id: str, section: int | None = None, item: int | None = None) -> LessonScreen | None:
        """A lesson's screen, at a section or where the learner stopped; None (and a notice) when there is none."""
        lesson = self.course.get(lesson_id, self.lang) or next(
            (l for l in self.course.lessons if l.id == lesson_id), None
        )
        if lesson is None:
            self.notify(say(self.lang, "no-lesson", lesson_id=lesson_id), severity="error")
            return None
        self.course.body(lesson)
        self._carry_saved_work(lesson)
        saved = self.progress.lesson(lesson.id)
        if section is None:
            section, item = saved.section, saved.item if item is None else item
        position = (min(section, max(len(lesson.sections) - 1, 0)), -1 if item is None else item)
        self.progress.visit(lesson.id)  # saved once the lesson is on the terminal (lesson_shown)
        screen = LessonScreen(lesson, position)
        screen.hold_collector(self.collector)
        # A screen removed before it ever mounted gets neither a first paint nor an unmount.
        self.set_timer(2.0, screen.release_collector)
        return screen

    def lesson_shown(self, screen: LessonScreen) -> None:
        """A lesson's first section is on the terminal: now the visit is worth a disk write."""
        self.progress.save()

    def back_to_map(self) -> None:
        """Leave a lesson for the course map (which may not exist yet when started with --open)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.switch_screen(course_map())

    def _neighbour(self, step: int) -> None:
        """Open the next (step 1) or previous (step -1) lesson."""
        if not isinstance(self.screen, LessonScreen):
            return
        ids = [lesson.id for lesson in self.lessons()]
        index = ids.index(self.screen.lesson.id) + step if self.screen.lesson.id in ids else -1
        if 0 <= index < len(ids):
            self.open_lesson(ids[index])
        else:
            self.notify(say(self.lang, "last-lesson" if step > 0 else "first-lesson"), timeout=2)

    def action_next_lesson(self) -> None:
        self._neighbour(1)

    def action_previous_lesson(self) -> None:
        self._neighbour(-1)

    def lesson_left(self, screen: LessonScreen) -> None:
        """Save where the learner was when a lesson screen goes away."""
        self.progress.remember_position(screen.lesson.id, *screen.position)
        self.progress.save()

    def lesson_reached_end(self, screen: LessonScreen) -> None:
        """Note that a lesson's end was reached: it completes once every quiz is settled too."""
        if self.progress.reach_end(screen.lesson.id):
            self.progress.save()  # remembered across sessions: the quizzes may be finished another day
        first_this_session = screen.lesson.id not in self._ends_noticed
        self._ends_noticed.add(screen.lesson.id)
        self._complete_if_done(screen.lesson, tell_missing=first_this_session)

    def _complete_if_done(self, lesson: Lesson, tell_missing: bool = False) -> None:
        """Complete a lesson whose end was reached and whose quizzes are answered right or revealed."""
        entry = self.progress.lesson(lesson.id)
        if entry.completed or not entry.end_reached:
            return
        missing = unsettled(lesson, self.progress.quizzes)
        if missing:
            if tell_missing:
                self.notify(end_missing(self.lang, unsettled_counts(lesson, self.progress.quizzes)), timeout=4)
            return
        self.progress.complete(lesson.id)
        self.progress.save()
        self.notify(say(self.lang, "completed", title=lesson.title), timeout=3)

    def on_quiz_card_answered(self, message: QuizCard.Answered) -> None:
        """Save a quiz's new record, show it on other cards of that quiz, and complete its lesson if due."""
        from d2l_tui.ui.widgets.quiz_card import QuizCard  # imported when the first quiz is answered

        from d2l_tui.review.schedule import scheduled_record  # imports FSRS: not needed to start

        stored = self.progress.quizzes.get(message.quiz_id)
        hinted = message.card.hint_shown is True
        self.progress.quizzes[message.quiz_id] = scheduled_record(stored, message.record, hinted, self.clock.now())
        self.progress.save()
        for screen in self.screen_stack:
            for card in screen.query(QuizCard):
                if card is not message.card and card.quiz.id == message.quiz_id:
                    card.restore(message.record, fresh=card.review)
        for lesson in self.lessons():
            if any(block.data["id"] == message.quiz_id for block in quiz_blocks(lesson)):
                self._complete_if_done(lesson)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notice; on a narrow terminal, where it must lie over the text, a short one (warnings keep their time)."""
        if severity == "information" and self.size.width < OUTLINE_MIN_WIDTH:
            timeout = min(timeout or NARROW_NOTICE_SECONDS, NARROW_NOTICE_SECONDS)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        # Textual 8.2.8 removes an expired notice from the DOM but, over a lesson, did not always
        # repaint where it was: the notice stayed on the terminal until the next key. Repaint then.
        shown_for = timeout if timeout is not None else self.NOTIFICATION_TIMEOUT
        self.set_timer(shown_for + 0.1, self._repaint_after_notice)

    def _repaint_after_notice(self) -> None:
        """Draw the screen whole once a notice has gone (if the app has not begun to close)."""
        if self.screen_stack:  # the timer may fire while the app closes and its screens are gone
            self.screen.refresh()

    # App-wide keys ----------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Open the palette with the course language's words (Textual's own says "Search for commands…")."""
        from d2l_tui.ui.palette import CoursePalette, course_palette

        if self.use_command_palette and not isinstance(self.screen, CoursePalette):
            self.push_screen(course_palette(self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's system commands (theme, keys, quit, screenshot) in the course language."""
        from d2l_tui.ui.palette import system_commands

        return system_commands(self, screen)

    def action_help(self) -> None:
        from d2l_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        shown: dict[str, str] = {}
        seen: set[tuple[str, str | None]] = set()
        # The tutor's own keys (they have ids) first; Textual's scrolling and cursor keys after them.
        actives = sorted(self.screen.active_bindings.values(), key=lambda active: active.binding.id is None)
        for active in actives:
            binding = active.binding
            if not binding.description or (binding.action, binding.id) in seen:
                continue  # one line per binding, not one per key it has ("s,enter")
            seen.add((binding.action, binding.id))
            shown[self.get_key_display(binding)] = key_words(self.lang, binding.id, binding.description)
        self.push_screen(HelpScreen(list(shown.items())))

    def action_switch_language(self) -> None:
        """Switch between Chinese and English, keeping the place in the current lesson."""
        languages = self.course.languages
        if len(languages) < 2:
            self.notify(say(self.lang, "one-language"), timeout=2)
            return
        self.lang = languages[(languages.index(self.lang) + 1) % len(languages)] if self.lang in languages else languages[0]
        self.progress.settings["lang"] = self.lang
        self.progress.save()
        from d2l_tui.ui.screens.review import ReviewScreen

        if isinstance(self.screen, LessonScreen):
            self.show_in_course_language()
        elif isinstance(self.screen, ReviewScreen):
            self.switch_screen(ReviewScreen())  # the same questions, from the other language's lessons
        else:
            self.screen.refresh_bindings()  # the Footer's words, in the new language
        self._refresh_map()

    def show_in_course_language(self) -> None:
        """Reopen the lesson on top in the course language, at the same place, if it is in the other."""
        current = self.screen
        if isinstance(current, LessonScreen) and current.lesson.lang != self.lang:
            self.lesson_left(current)
            self.open_lesson(current.lesson.id, *current.position)

    def action_review(self) -> None:
        """Open the list of missed and revealed questions, to retry them."""
        from d2l_tui.ui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def action_switch_theme(self) -> None:
        index = THEMES.index(self.theme) + 1 if self.theme in THEMES else 0
        self.theme = THEMES[index % len(THEMES)]
        self.progress.settings["theme"] = self.theme
        self.progress.save()
        self.notify(say(self.lang, "theme", theme=self.theme), timeout=2)

    def busy(self) -> bool:
        """True while a training run or a code cell is running."""
        return any(w.group.startswith(BUSY_GROUP_PREFIX) and w.is_running for w in self.workers)

    def action_request_quit(self) -> None:
        """Quit, asking first when something is still running."""
        if not self.busy():
            self._save_and_exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._save_and_exit()

        from d2l_tui.ui.screens.confirm import ConfirmScreen

        self.push_screen(
            ConfirmScreen(say(self.lang, "quit-busy"), yes=say(self.lang, "yes"), no=say(self.lang, "no")), answered
        )

    def _save_and_exit(self) -> None:
        if isinstance(self.screen, LessonScreen):
            self.lesson_left(self.screen)
        self.exit(0)

    def action_scratchpad(self) -> None:
        """Open the scratchpad on the current lesson's namespace; F2 again closes it."""
        from d2l_tui.ui.screens.scratchpad import ScratchpadScreen

        if isinstance(self.screen, ScratchpadScreen):
            self.pop_screen()
        else:
            self.push_screen(ScratchpadScreen.for_stack(self.screen_stack))

    def on_kernel_runner_finished(self, message: KernelRunner.Finished) -> None:
        """Code finished after its cell or quiz left the screen: the runner still keeps the result."""
        message.runner.finished_away(message.outcome)

    @property
    def kernels(self) -> KernelPool:
        """The code cells' kernel processes (kept in the session state)."""
        return self.session.kernels

    def on_unmount(self) -> None:
        # However the app ends (q, ctrl+q, an error), no kernel process may outlive it; this
        # also ends any thread still waiting on a cell, which the exit would otherwise wait for.
        self.kernels.close_all()
        self._end_startup_pause()  # if it ended before start-up was over


def make_app(
    lessons_dir: Path | None = None,
    data_dir: Path | None = None,
    lang: str | None = None,
    open_lesson: str | None = None,
    cache_dir: Path | None = None,
) -> TutorApp:
    """Build the app; tests pass their own lessons and data folders."""
    return TutorApp(
        Path(lessons_dir) if lessons_dir else shipped_lessons_dir(),
        resolve_data_dir(data_dir),
        lang=lang,
        open_lesson=open_lesson,
        cache_dir=Path(cache_dir) if cache_dir else default_cache_dir(),
    )
