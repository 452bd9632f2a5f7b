"""A course: every lesson of a folder, in both languages, with the checks that span files."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from d2l_tui.course.cache import LessonCache, cache_key, file_key
from d2l_tui.course.model import Lesson, Problem

LANGUAGES = ("zh", "en")


def lesson_files(root: Path) -> list[tuple[Path, str | None]]:
    """List a course folder's lesson files: `zh/*.md` and `en/*.md`, or `*.md` directly inside."""
    found: list[tuple[Path, str | None]] = []
    for lang in LANGUAGES:
        found += [(path, lang) for path in sorted((root / lang).glob("*.md"))]
    found += [(path, None) for path in sorted(root.glob("*.md")) if path.name.lower() != "readme.md"]
    return found


def _loader():  # noqa: ANN202 - a module
    """The lesson parser, imported on first use: a start-up from the cache never needs it (~40 ms)."""
    from d2l_tui.course import loader

    return loader


def _course_problem(path: Path, line: int, message: str) -> Problem:
    """A problem found by comparing lesson files, not by reading one."""
    return Problem(path, line, message, scope="course")


@dataclass
class Course:
    """The lessons of one course folder, looked up by language and id."""

    root: Path
    lessons: list[Lesson] = field(default_factory=list)
    _body_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _quiz_ids_checked: bool = field(default=False, repr=False)
    _cache: LessonCache | None = field(default=None, repr=False)
    _file_keys: dict[str, tuple[int, int] | None] = field(default_factory=dict, repr=False)
    """Each parsed file's size and time, taken before it was read: what a cache entry is valid for."""

    @classmethod
    def load(cls, root: Path, bodies: bool = True, cache: LessonCache | None = None) -> Course:
        """Load every lesson under `root` and run the checks that span files.

        With `bodies=False` only the headers are read (fast, for start-up); call
        `load_bodies()` later, from a worker thread if you like. Lessons found unchanged in
        `cache` come from it (their bodies too, when asked for), and the ones parsed here are added to it.
        """
        root = Path(root)
        course = cls(root, _cache=cache)
        for path, lang in lesson_files(root):
            cached = cache.get(path) if cache is not None else None
            if cached is None:
                course._file_keys[cache_key(path)] = file_key(path)
                cached = _loader().load_lesson(path, lang, body=False)
            course.lessons.append(cached)
        course.check_links()
        if bodies:
            course.load_bodies()
        return course

    def body(self, lesson: Lesson) -> Lesson:
        """Make sure one lesson's sections are parsed (thread-safe) and return it."""
        with self._body_lock:
            if lesson.body_loaded or (self._cache is not None and self._cache.fill_body(lesson)):
                return lesson
            key = self._file_keys.get(cache_key(lesson.path)) or file_key(lesson.path)
            header_problems = len(lesson.problems)
            _loader().load_body(lesson)
            if self._cache is not None:
                self._cache.put(lesson, key, header_problems)
            return lesson

    def load_bodies(self) -> None:
        """Parse every lesson's body and run the checks that need them (thread-safe)."""
        for lesson in self.lessons:
            self.body(lesson)
        with self._body_lock:
            if not self._quiz_ids_checked:
                _record_quiz_ids(self.lessons)
                _record_translation_drift(self.lessons)
                self._quiz_ids_checked = True
        if self._cache is not None:
            self._cache.save()

    @property
    def bodies_loaded(self) -> bool:
        """True once every lesson's body is parsed."""
        return all(lesson.body_loaded for lesson in self.lessons)

    @property
    def languages(self) -> list[str]:
        """The languages the course has lessons in, Chinese first."""
        present = {lesson.lang for lesson in self.lessons}
        return [lang for lang in LANGUAGES if lang in present] + sorted(present - set(LANGUAGES))

    def in_language(self, lang: str) -> list[Lesson]:
        """The lessons of one language, in course order."""
        return sorted((l for l in self.lessons if l.lang == lang), key=lambda l: (l.order, l.id))

    def get(self, lesson_id: str, lang: str) -> Lesson | None:
        """Find a lesson by id and language."""
        return next((l for l in self.in_language(lang) if l.id == lesson_id), None)

    @property
    def problems(self) -> list[Problem]:
        """Every problem in every lesson, in file order."""
        return sorted((p for l in self.lessons for p in l.problems), key=lambda p: (str(p.path), p.line))

    def check_links(self) -> None:
        """Record duplicate ids, missing translations and unknown prerequisites on the lessons."""
        by_lang: dict[str, dict[str, Lesson]] = defaultdict(dict)
        # The lesson later in the course is the duplicate; the first one keeps its id.
        for lesson in sorted(self.lessons, key=lambda l: (l.order, str(l.path))):
            first = by_lang[lesson.lang].get(lesson.id)
            if first is not None:
                lesson.problems.append(
                    _course_problem(lesson.path, 2, f"duplicate lesson id '{lesson.id}' ({lang_name(lesson.lang)}): also used by {first.path}")
                )
            else:
                by_lang[lesson.lang][lesson.id] = lesson
        bilingual = len(by_lang) > 1
        for lang, lessons in by_lang.items():
            for lesson_id, lesson in lessons.items():
                for other in by_lang:
                    if bilingual and other != lang and lesson_id not in by_lang[other]:
                        lesson.problems.append(
                            _course_problem(lesson.path, 2, f"lesson '{lesson_id}' has no {lang_name(other)} counterpart (expected {self.root / other / lesson.path.name})")
                        )
                for required in lesson.requires:
                    if required not in lessons:
                        lesson.problems.append(_course_problem(lesson.path, 2, f"requires unknown lesson '{required}'"))
        _record_replaces(self.lessons)

    @property
    def replaced(self) -> dict[str, str]:
        """Old lesson id -> the id of the lesson that replaces it (`replaces:`), for ids no lesson has now."""
        live = {lesson.id for lesson in self.lessons}
        found: dict[str, str] = {}
        for lesson in sorted(self.lessons, key=lambda l: (l.order, l.id)):
            for old in lesson.replaces:
                if old not in live:
                    found.setdefault(old, lesson.id)
        return found


def _record_replaces(lessons: list[Lesson]) -> None:
    """A replaced id must be gone from the course, and replaced by one lesson only (its work moves there)."""
    live = {lesson.id for lesson in lessons}
    by: dict[str, str] = {}
    for lesson in sorted(lessons, key=lambda l: (l.order, str(l.path))):
        for old in lesson.replaces:
            if old in live:
                lesson.problems.append(_course_problem(
                    lesson.path, 2, f"replaces '{old}', which is a lesson of this course: "
                    "only a lesson that is gone can be replaced"))
            elif by.setdefault(old, lesson.id) != lesson.id:
                lesson.problems.append(_course_problem(
                    lesson.path, 2, f"replaces '{old}', which lesson '{by[old]}' already replaces"))


def _record_quiz_ids(lessons: list[Lesson]) -> None:
    """Quiz ids are unique within each language of the course, since progress is stored by id."""
    seen: dict[tuple[str, str], Problem] = {}
    for lesson in lessons:
        for block in lesson.blocks:
            quiz_id = block.data.get("id") if block.type == "quiz" else None
            if not isinstance(quiz_id, str):
                continue
            here = Problem(lesson.path, block.line, "")
            first = seen.setdefault((lesson.lang, quiz_id), here)
            if first is not here:
                lesson.problems.append(
                    _course_problem(lesson.path, block.line, f"duplicate quiz id '{quiz_id}': also used at {first.path}:{first.line}")
                )


def block_signature(lesson: Lesson) -> list[tuple[str, str, str]]:
    """What must match between a lesson's languages: each block's type, id (a solution's quiz) and quiz kind, in order."""
    return [(b.type, str(b.data.get("id", b.data.get("for", ""))), str(b.data.get("kind", ""))) for b in lesson.blocks]


def _record_translation_drift(lessons: list[Lesson]) -> None:
    """A lesson's zh and en versions must have the same interactive blocks in the same order.

    Progress is stored by lesson and quiz id, so a quiz in one language only, or a panel that moved,
    would show a learner different things after switching language.
    """
    by_id: dict[str, dict[str, Lesson]] = defaultdict(dict)
    for lesson in lessons:
        by_id[lesson.id].setdefault(lesson.lang, lesson)
    for versions in by_id.values():
        present = [versions[lang] for lang in LANGUAGES if lang in versions]
        if not present:  # a lesson in another language only has nothing to match
            continue
        first, *others = present
        for other in others:
            theirs, ours = block_signature(first), block_signature(other)
            if theirs == ours:
                continue
            index = next((i for i, (a, b) in enumerate(zip(theirs, ours)) if a != b), min(len(theirs), len(ours)))
            line = other.blocks[index].line if index < len(other.blocks) else 2
            said = lambda sig: f"{sig[0]} '{sig[1]}'" if sig[1] else sig[0]  # noqa: E731
            expected = said(theirs[index]) if index < len(theirs) else "nothing more"
            found = said(ours[index]) if index < len(ours) else "nothing more"
            other.problems.append(_course_problem(
                other.path, line,
                f"block {index + 1} differs from the {lang_name(first.lang)} lesson ({first.path}): "
                f"expected {expected}, found {found}",
            ))


def lang_name(lang: str) -> str:
    """The English name of a language code."""
    return {"zh": "Chinese", "en": "English"}.get(lang, lang)
