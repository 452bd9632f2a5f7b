"""Grade choice, multi and numeric answers; read numbers the way learners type them."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from d2l_tui.quiz.messages import say

if TYPE_CHECKING:
    from d2l_tui.quiz.model import Quiz

Outcome = Literal["right", "partial", "wrong", "invalid"]
"""`invalid` means the answer could not be graded (not a number, nothing chosen): no attempt."""


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer."""

    outcome: Outcome
    message: str
    score: float = 0.0
    """1.0 for right, a fraction for partly right, 0.0 otherwise."""
    detail: str = ""
    """More to show under the message: a traceback, say."""

    @property
    def graded(self) -> bool:
        """False for an answer that could not be graded (it counts as no attempt)."""
        return self.outcome != "invalid"


class NumberError(ValueError):
    """Text that is not a number; the message (English; `say_in(lang)` for others) says what to type."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(say("en", key, **params))
        self.key, self.params = key, params

    def say_in(self, lang: str) -> str:
        """The message in a lesson's language."""
        return say(lang, self.key, **self.params)


_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# After NFKC (full-width digits and signs become ASCII) a few look-alikes are left to map.
_LOOKALIKES = str.maketrans({"−": "-", "–": "-", "—": "-", "。": ".", "・": ".", "÷": "/", "⁄": "/"})


def parse_number(text: str) -> float:
    """Read `0.5`, `.5`, `1/2`, `5e-1`, `480,000`, full-width `０．５` or `１／２`; raise `NumberError`."""
    raw = text.strip()
    if not raw:
        raise NumberError("number-empty")
    cleaned = unicodedata.normalize("NFKC", raw).translate(_LOOKALIKES).replace(" ", "")
    if "/" in cleaned:
        top, _, bottom = cleaned.partition("/")
        numerator, denominator = _decimal(top, raw), _decimal(bottom, raw)
        if denominator == 0:
            raise NumberError("number-zero", text=raw)
        return float(Fraction(numerator) / Fraction(denominator))
    return float(_decimal(cleaned, raw))


def _decimal(cleaned: str, raw: str) -> float:
    """One decimal number (no fraction bar), checked strictly so `1_000` or `inf` are refused."""
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if _DECIMAL.match(cleaned):
        value = float(cleaned)
        if not math.isfinite(value):
            raise NumberError("number-huge", text=raw)
        return value
    if "," in cleaned and re.match(r"^[+-]?\d*,\d+$", cleaned):
        raise NumberError("number-comma", text=raw, fixed=cleaned.replace(",", "."))
    raise NumberError("number-bad", text=raw)


def strip_unit(text: str, unit: str | None) -> str:
    """Drop the quiz's unit if the learner typed it after the number (`12 ms`, `50%`)."""
    if unit:
        folded, wanted = text.strip().casefold(), unit.strip().casefold()
        if wanted and folded.endswith(wanted):
            return text.strip()[: len(text.strip()) - len(wanted)]
    return text


def grade_numeric(quiz: Quiz, text: str, lang: str = "en") -> Grade:
    """Grade typed text against a numeric quiz's answer and tolerance."""
    try:
        value = parse_number(strip_unit(text, quiz.unit))
    except NumberError as error:
        unit = say(lang, "number-unit", unit=quiz.unit) if quiz.unit and error.key != "number-empty" else ""
        return Grade("invalid", error.say_in(lang) + unit)
    expected = float(quiz.answer)
    # A sliver of slack so that an answer exactly on the tolerance's edge is not lost to rounding.
    slack = 1e-9 * max(1.0, abs(expected), abs(value))
    shown = f"{value:g} {quiz.unit}" if quiz.unit else f"{value:g}"
    if abs(value - expected) <= quiz.tolerance.allowed(expected) + slack:
        return Grade("right", say(lang, "numeric-right", value=shown), 1.0)
    return Grade("wrong", say(lang, "numeric-high" if value > expected else "numeric-low", value=shown))


def grade_choice(quiz: Quiz, chosen: int | None, lang: str = "en") -> Grade:
    """Grade the option a learner chose (its index in `quiz.options`)."""
    if chosen is None:
        return Grade("invalid", say(lang, "choose-first"))
    if chosen in quiz.correct:
        return Grade("right", say(lang, "choice-right"), 1.0)
    return Grade("wrong", say(lang, "choice-wrong"))


def grade_multi(quiz: Quiz, chosen: set[int] | frozenset[int] | list[int], lang: str = "en") -> Grade:
    """Grade a set of chosen options: right, partly right (some correct ones found) or wrong."""
    picked, correct = set(chosen), quiz.correct
    if not picked:
        return Grade("invalid", say(lang, "choose-some"))
    hits, misses = len(picked & correct), len(picked - correct)
    if picked == correct:
        return Grade("right", say(lang, "multi-right", count=len(correct)), 1.0)
    score = max(0.0, (hits - misses) / len(correct))
    extra = say(lang, "multi-extra-1" if misses == 1 else "multi-extra", misses=misses) if misses else ""
    if hits:
        return Grade("partial", say(lang, "multi-partial", hits=hits, count=len(correct), extra=extra), score)
    return Grade("wrong", say(lang, "multi-wrong", extra=extra))


def grade(quiz: Quiz, answer: object, lang: str = "en") -> Grade:
    """Grade an answer to a choice, multi or numeric quiz (code quizzes need a kernel)."""
    if quiz.kind == "choice":
        return grade_choice(quiz, answer if isinstance(answer, int) and not isinstance(answer, bool) else None, lang)
    if quiz.kind == "multi":
        return grade_multi(quiz, set(answer) if isinstance(answer, (list, set, frozenset)) else set(), lang)
    if quiz.kind == "numeric":
        return grade_numeric(quiz, str(answer), lang)
    raise ValueError(f"'{quiz.kind}' quizzes are not graded here")
