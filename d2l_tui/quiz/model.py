"""A quiz as parsed from a `quiz` block, the kinds of quiz there are, and the checks on each.

`validate(data)` is what `d2l-tui check` and the lesson loader run on a quiz block's YAML body
(after the generic key and type checks of `course.directives`). A new kind (say `predict`,
linked to a training panel) registers a `QuizKind` in `KINDS` with the keys it uses and its check.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from d2l_tui.quiz.grading import NumberError, parse_number
from d2l_tui.quiz.predict import check_predict, option_texts

KeyPath = tuple[str, ...]
Finding = tuple[KeyPath, str]
"""A problem in a quiz body: the key it concerns (empty for the whole block) and a message."""

COMMON_KEYS = frozenset({"id", "kind", "prompt", "explain", "hint"})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class QuizKind:
    """One kind of quiz: which keys it uses beyond the common ones, and how to check them."""

    name: str
    summary: str
    keys: frozenset[str]
    check: Callable[[dict[str, Any]], list[Finding]]


@dataclass(frozen=True)
class Tolerance:
    """How far a number may be from the answer: within `abs`, or within `rel` times the answer."""

    abs: float | None = None
    rel: float | None = None

    def allowed(self, expected: float) -> float:
        """The largest difference from `expected` still counted right."""
        return max(self.abs or 0.0, (self.rel or 0.0) * abs(expected))

    def describe(self) -> str:
        """The tolerance in words, e.g. '±0.2' or '±1%'."""
        parts = [f"±{self.abs:g}"] if self.abs is not None else []
        parts += [f"±{self.rel * 100:g}%"] if self.rel is not None else []
        return " or ".join(parts) or "exactly"


@dataclass(frozen=True)
class Quiz:
    """A valid quiz, ready to show and grade (build it only from data `validate` accepts)."""

    id: str
    kind: str
    prompt: str
    explain: str
    hint: str | None = None
    options: tuple[str, ...] = ()
    answer: Any = None
    """0-based option index (choice), a list of them (multi), a number (numeric), None (code)."""
    tolerance: Tolerance = Tolerance()
    unit: str | None = None
    solution: str | None = None
    starter: str = ""
    """The code a code quiz's box starts from (and starts from again on a new try)."""
    shuffle: bool = True

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Quiz:
        """Build a quiz from a block's YAML body."""
        kind = data["kind"]
        answer = data.get("answer")
        if kind == "numeric" and isinstance(answer, str):
            answer = parse_number(answer)
        return cls(
            id=str(data["id"]),
            kind=kind,
            prompt=str(data["prompt"]),
            explain=str(data.get("explain") or ""),
            hint=data.get("hint") or None,
            options=option_texts(data),
            answer=answer,
            tolerance=read_tolerance(data.get("tolerance")),
            unit=data.get("unit") or None,
            solution=data.get("solution"),
            starter=str(data.get("starter") or ""),
            shuffle=bool(data.get("shuffle", kind in ("choice", "multi"))),
        )

    @property
    def correct(self) -> frozenset[int]:
        """The indices of the correct options (choice and multi)."""
        if self.kind == "choice":
            return frozenset({int(self.answer)})
        if self.kind == "multi":
            return frozenset(int(index) for index in self.answer)
        return frozenset()


def read_tolerance(raw: Any) -> Tolerance:
    """Read `tolerance: 0.1` (absolute) or `tolerance: {abs: 0.1, rel: 0.01}`."""
    if isinstance(raw, dict):
        return Tolerance(_float_or_none(raw.get("abs")), _float_or_none(raw.get("rel")))
    if _is_number(raw):
        return Tolerance(abs=float(raw))
    return Tolerance()


def _float_or_none(value: Any) -> float | None:
    return float(value) if _is_number(value) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Checks shared by several kinds -------------------------------------------------------------


def _check_options(data: dict[str, Any]) -> list[Finding]:
    options = data.get("options")
    if options is None:
        return [((), f"a {data['kind']} quiz needs 'options': the list of answers to choose from")]
    findings: list[Finding] = []
    if len(options) < 2:
        findings.append((("options",), "'options' needs at least two entries to choose from"))
    texts = []
    for number, option in enumerate(options, 1):
        if not isinstance(option, (str, int, float)) or isinstance(option, bool) or not str(option).strip():
            findings.append((("options",), f"option {number} must be a short text, not {option!r}"))
        texts.append(str(option).strip())
    for text in {t for t in texts if t and texts.count(t) > 1}:
        findings.append((("options",), f"option '{text}' appears twice"))
    return findings


def _index_problem(value: Any, count: int) -> str | None:
    """Say what is wrong with an option index, or None when it points at an option."""
    if not _is_index(value):
        return f"{value!r} is not an option number (0 is the first option)"
    if not 0 <= value < count:
        return f"answer {value} points past the options (there are {count}, numbered 0 to {count - 1})"
    return None


def _check_choice(data: dict[str, Any]) -> list[Finding]:
    findings = _check_options(data)
    answer, count = data.get("answer"), len(data.get("options") or [])
    if answer is None:
        findings.append(((), "a choice quiz needs 'answer': the number of its one correct option (0 is the first)"))
    elif isinstance(answer, list):
        findings.append((("answer",), "a choice quiz has exactly one correct option: give its number, "
                         "not a list (use kind: multi for several correct options)"))
    elif data.get("options") is not None and (problem := _index_problem(answer, count)):
        findings.append((("answer",), problem))
    return findings


def _check_multi(data: dict[str, Any]) -> list[Finding]:
    findings = _check_options(data)
    answer, count = data.get("answer"), len(data.get("options") or [])
    if answer is None:
        return findings + [((), "a multi quiz needs 'answer': the list of its correct options (0 is the first)")]
    answers = answer if isinstance(answer, list) else [answer]
    if not answers:
        findings.append((("answer",), "a multi quiz needs at least one correct option in 'answer'"))
    for value in answers:
        if data.get("options") is not None and (problem := _index_problem(value, count)):
            findings.append((("answer",), problem))
    if len(set(map(repr, answers))) < len(answers):
        findings.append((("answer",), "'answer' names the same option twice"))
    return findings


def _check_numeric(data: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    answer = data.get("answer")
    if answer is None:
        findings.append(((), "a numeric quiz needs 'answer': the number expected"))
    elif isinstance(answer, list):
        findings.append((("answer",), "a numeric quiz's 'answer' is one number, not a list"))
    elif isinstance(answer, str):
        try:
            parse_number(answer)
        except NumberError as error:
            findings.append((("answer",), f"'answer' must be a number: {error}"))
    elif isinstance(answer, bool):
        findings.append((("answer",), f"'answer' must be a number, not {answer!r}"))
    findings += _check_tolerance(data, required=True)
    if "unit" in data and not str(data.get("unit") or "").strip():
        findings.append((("unit",), "'unit' is empty: remove it or name the unit"))
    return findings


def _check_tolerance(data: dict[str, Any], required: bool) -> list[Finding]:
    raw = data.get("tolerance")
    if raw is None:
        if required:
            return [((), "a numeric quiz needs 'tolerance': {abs: 0} for an exact answer, "
                     "{abs: 0.01} or {rel: 0.05} to accept nearby numbers")]
        return []
    if not isinstance(raw, dict):
        raw = {"abs": raw}
    findings: list[Finding] = []
    for key, value in raw.items():
        if key not in ("abs", "rel"):
            findings.append((("tolerance",), f"unknown tolerance '{key}' (use abs and/or rel)"))
        elif not _is_number(value) or value < 0:
            findings.append((("tolerance",), f"tolerance {key} must be a number of 0 or more, not {value!r}"))
    if not raw:
        findings.append((("tolerance",), "'tolerance' is empty: give abs and/or rel"))
    return findings


def _check_code(data: dict[str, Any]) -> list[Finding]:
    solution = data.get("solution")
    if solution is None or not str(solution).strip():
        return [((), "a code quiz needs 'solution': code whose last line gives the expected value")]
    try:
        compile(solution, "<solution>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        where = f" (line {line} of the solution)" if line else ""
        return [(("solution",), f"the solution does not parse: {getattr(error, 'msg', error)}{where}")]
    return _check_tolerance(data, required=False)


KINDS: dict[str, QuizKind] = {
    kind.name: kind
    for kind in (
        QuizKind("choice", "one correct option among several", frozenset({"options", "answer", "shuffle"}), _check_choice),
        QuizKind("multi", "several correct options", frozenset({"options", "answer", "shuffle"}), _check_multi),
        QuizKind("numeric", "a number, within a tolerance",
                 frozenset({"answer", "tolerance", "unit", "solution"}), _check_numeric),
        QuizKind("code", "a short MXNet snippet, run and compared", frozenset({"solution", "tolerance", "starter"}), _check_code),
        QuizKind("predict", "a prediction that a training panel's run settles",
                 frozenset({"panel", "settings", "options", "shuffle"}), check_predict),
    )
}


def validate(data: dict[str, Any]) -> list[Finding]:
    """Every problem in a quiz block's body (already known to be a mapping of the right types)."""
    findings = _common_problems(data)
    kind = KINDS.get(str(data.get("kind")))
    if kind is None:
        known = ", ".join(sorted(KINDS))
        close = difflib.get_close_matches(str(data.get("kind")), list(KINDS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return findings + [(("kind",), f"unknown quiz kind '{data.get('kind')}'{hint}; this version knows: {known}")]
    for key in data:
        if key not in COMMON_KEYS and key not in kind.keys:
            users = sorted(name for name, other in KINDS.items() if key in other.keys)
            belongs = f" (it belongs to {' and '.join(users)} quizzes)" if users else ""
            findings.append(((key,), f"'{key}' is not used by a {kind.name} quiz{belongs}"))
    return findings + kind.check(data)


EMPTY_KEY_FIXES = {"prompt": "ask the question", "explain": "say why the answer is right",
                   "hint": "remove it or write a hint"}
"""What to write in a key every quiz has, when it is there but empty."""


def _common_problems(data: dict[str, Any]) -> list[Finding]:
    """Problems with the keys every quiz has: its id, an empty prompt, explanation or hint."""
    findings: list[Finding] = []
    quiz_id = data.get("id")
    if isinstance(quiz_id, str) and not _ID.match(quiz_id):
        findings.append((("id",), f"quiz id '{quiz_id}' may only use letters, digits, '-', '_' and '.'"))
    for key, what in EMPTY_KEY_FIXES.items():
        if key in data and not str(data.get(key) or "").strip():
            findings.append(((key,), f"'{key}' is empty: {what}"))
    if "explain" not in data:
        findings.append(((), "quiz block is missing 'explain', shown once the learner has answered"))
    return findings
