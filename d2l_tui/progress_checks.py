"""What a progress file may hold: each value checked and bounded, and how two windows' entries merge.

A file is seen as flat entries keyed `(section, name)`: `("lessons", id)`, `("quizzes", id)`,
`("settings", name)` and `("top", name)` for `last_lesson` and keys a later version adds. A value
of the wrong type is ignored and named in an `Ignored`; nothing else in the file is lost with it.
Bounds keep saves small after years of use: the biggest legitimate record is a code answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Key = tuple[str, str]
SECTIONS = ("lessons", "quizzes", "settings")
TOP = "top"

MAX_ANSWER_CHARS = 20_000
"""A quiz answer (typed code) longer than this is cut; a longer structured answer is dropped."""
MAX_EXTRA_CHARS = 2_000
"""A setting, or a key this version does not know (a later version's), bigger than this is dropped."""
MAX_ENTRIES = 5_000
"""Lessons, and quiz records, kept at most: the most recently used ones (the course has ~100 quizzes)."""
MAX_ANSWERS_CHARS = 2_000_000
"""All answers together: past this, the oldest records keep their verdict but not their answer's text."""
LANGS = ("zh", "en")
OUTCOMES = ("right", "partial", "wrong")

LESSON_FIELDS = ("visited", "completed", "end_reached", "section", "item")
QUIZ_INTS = ("attempts", "streak")
QUIZ_BOOLS = ("correct", "revealed", "missed")


@dataclass(frozen=True)
class Ignored:
    """A value in the progress file that was ignored (or cut), where it was and why."""

    where: str
    """Its place in the file, like `lessons.ndarray.section` or `settings.theme`."""
    value: str
    """The value as written in the file, shortened."""
    reason: str
    """`bad-value`, `too-big` or `too-many`."""

    def __str__(self) -> str:
        why = {"bad-value": "not a usable value", "too-big": "too big", "too-many": "too many entries"}[self.reason]
        return f"{self.where} = {self.value} ({why})"


def shown(value: Any) -> str:
    """A value as written in the file, at most 40 characters."""
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _size(value: Any) -> int:
    """Characters the value takes in the file."""
    return len(json.dumps(value, ensure_ascii=False))


def _is_int(value: Any, lowest: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= lowest


def _is_time(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0)


def lesson_field_ok(name: str, value: Any) -> bool:
    """True when a lesson's field holds a value this version can use."""
    if name == "visited":
        return _is_time(value)
    if name in ("completed", "end_reached"):
        return isinstance(value, bool)
    return _is_int(value, 0 if name == "section" else -1)


def quiz_field_ok(name: str, value: Any) -> bool:
    """True when a quiz record's field holds a value this version can use."""
    if name in QUIZ_INTS:
        return _is_int(value, 0)
    if name in QUIZ_BOOLS:
        return isinstance(value, bool)
    if name == "outcome":
        return value is None or value in OUTCOMES
    if name == "updated":
        return _is_time(value)
    if name == "card":
        return isinstance(value, dict)  # spaced review's FSRS card (`review.schedule`); read there with care
    return True


def setting_ok(name: str, value: Any) -> bool:
    """True when a setting holds a usable value (the app checks a theme's name against its themes)."""
    if name == "lang":
        return value in LANGS
    if name == "theme":
        return isinstance(value, str) and bool(value)
    return True


def check_lesson(lesson_id: str, raw: Any, problems: list[Ignored]) -> dict[str, Any] | None:
    """A lesson entry's usable fields (a later version's small extra fields kept); None if none is."""
    where = f"lessons.{lesson_id}"
    if not isinstance(raw, dict):
        problems.append(Ignored(where, shown(raw), "bad-value"))
        return None
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        known = name in LESSON_FIELDS
        if known and not lesson_field_ok(name, value):
            problems.append(Ignored(f"{where}.{name}", shown(value), "bad-value"))
        elif not known and _size(value) > MAX_EXTRA_CHARS:
            problems.append(Ignored(f"{where}.{name}", shown(value), "too-big"))
        else:
            kept[name] = value
    return kept or None


def check_quiz(quiz_id: str, raw: Any, problems: list[Ignored]) -> dict[str, Any] | None:
    """A quiz record's usable fields, its answer bounded; None if none is usable."""
    where = f"quizzes.{quiz_id}"
    if not isinstance(raw, dict):
        problems.append(Ignored(where, shown(raw), "bad-value"))
        return None
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        if not quiz_field_ok(name, value):
            problems.append(Ignored(f"{where}.{name}", shown(value), "bad-value"))
            continue
        limit = MAX_ANSWER_CHARS if name == "answer" else MAX_EXTRA_CHARS if name not in QUIZ_INTS + QUIZ_BOOLS else 0
        if limit and _size(value) > limit:
            problems.append(Ignored(f"{where}.{name}", shown(value), "too-big"))
            if not isinstance(value, str):
                continue
            value = value[:limit]  # typed code: keep its beginning rather than nothing
        kept[name] = value
    return kept or None


def check_setting(name: str, value: Any, problems: list[Ignored]) -> bool:
    """True when a setting (or a top-level key) can be kept."""
    where = f"settings.{name}" if name != "last_lesson" else name
    if name == "last_lesson" and not (value is None or isinstance(value, str)):
        problems.append(Ignored(where, shown(value), "bad-value"))
        return False
    if not setting_ok(name, value):
        problems.append(Ignored(where, shown(value), "bad-value"))
        return False
    if _size(value) > MAX_EXTRA_CHARS:
        problems.append(Ignored(where, shown(value), "too-big"))
        return False
    return True


def clean(raw: dict[str, Any]) -> tuple[dict[Key, Any], list[Ignored]]:
    """A decoded version-1 file as checked, bounded entries, and what was ignored."""
    problems: list[Ignored] = []
    entries: dict[Key, Any] = {}
    for name, value in raw.items():
        if name == "version":
            continue
        if name not in SECTIONS:
            if check_setting(name, value, problems):
                entries[(TOP, name)] = value
            continue
        if not isinstance(value, dict):
            problems.append(Ignored(name, shown(value), "bad-value"))
            continue
        for key, item in value.items():
            usable = _check_item(name, str(key), item, problems)
            if usable is not None:
                entries[(name, str(key))] = usable
    return bound_count(entries, problems), problems


def _check_item(section: str, key: str, value: Any, problems: list[Ignored]) -> Any:
    """One entry of a section as kept, or None."""
    if section == "lessons":
        return check_lesson(key, value, problems)
    if section == "quizzes":
        return check_quiz(key, value, problems)
    return value if check_setting(key, value, problems) else None


def bound_count(entries: dict[Key, Any], problems: list[Ignored]) -> dict[Key, Any]:
    """Keep at most `MAX_ENTRIES` lessons and quiz records: the most recently used."""
    for section, stamp in (("lessons", "visited"), ("quizzes", "updated")):
        keys = [key for key in entries if key[0] == section]
        if len(keys) <= MAX_ENTRIES:
            continue
        keys.sort(key=lambda key: entries[key].get(stamp) or 0, reverse=True)
        for key in keys[MAX_ENTRIES:]:
            del entries[key]
        problems.append(Ignored(section, f"{len(keys)} entries", "too-many"))
    return bound_answers(entries, problems)


def bound_answers(entries: dict[Key, Any], problems: list[Ignored]) -> dict[Key, Any]:
    """Keep at most `MAX_ANSWERS_CHARS` of answers: the newest records' answers first."""
    records = sorted(
        (key for key in entries if key[0] == "quizzes" and "answer" in entries[key]),
        key=lambda key: entries[key].get("updated") or 0, reverse=True,
    )
    total, dropped = 0, 0
    for key in records:
        total += _size(entries[key]["answer"])
        if total > MAX_ANSWERS_CHARS:
            entries[key] = {name: value for name, value in entries[key].items() if name != "answer"}
            dropped += 1
    if dropped:
        problems.append(Ignored("quizzes.*.answer", f"{dropped} old answers", "too-big"))
    return entries


# Merging ------------------------------------------------------------------------------------------


def merge_entry(key: Key, theirs: Any, mine: Any, base: Any) -> Any:
    """What to keep of an entry this window changed (from `base` to `mine`) that the file holds as `theirs`."""
    if theirs is None or theirs == base:
        return mine
    if key[0] == "lessons":
        return merge_lesson(theirs, mine, base or {})
    if key[0] == "quizzes":
        return merge_quiz(theirs, mine)
    return mine  # a setting or the last lesson: this window's choice is the newest


def merge_lesson(theirs: dict[str, Any], mine: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Fields this window changed win; a first visit stays the earliest; done stays done."""
    merged = dict(theirs)
    merged.update({name: value for name, value in mine.items() if base.get(name) != value})
    if any(base.get(name) != mine.get(name) for name in ("section", "item")):
        merged["section"], merged["item"] = mine.get("section", 0), mine.get("item", -1)  # a place is a pair
    visits = [v for v in (theirs.get("visited"), mine.get("visited")) if v is not None]
    merged["visited"] = min(visits) if visits else None
    for flag in ("completed", "end_reached"):
        merged[flag] = bool(theirs.get(flag)) or bool(mine.get(flag))
    return merged


def merge_quiz(theirs: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """The newer record wins (a right answer is not undone by an older wrong one); attempts: the larger."""
    def rank(record: dict[str, Any]) -> tuple[float, bool]:
        return (record.get("updated") or 0.0, bool(record.get("correct")))

    newer, older = (mine, theirs) if rank(mine) >= rank(theirs) else (theirs, mine)
    merged = dict(newer)
    merged["attempts"] = max(newer.get("attempts") or 0, older.get("attempts") or 0)
    merged["revealed"] = bool(newer.get("revealed")) or bool(older.get("revealed"))
    return merged
