"""Grade a code answer by running it and the quiz's solution in the code kernel and comparing.

Each run gets a fresh namespace holding only `np`, `nd`, `autograd`, `gluon`, `init` and `mx`,
so an answer can neither see the solution's variables nor the learner's code cells. A run is
stopped after `timeout` seconds; printed output is capped by the kernel, so nothing here hangs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from d2l_tui.course.model import Block, Lesson, Problem
from d2l_tui.quiz.grading import Grade
from d2l_tui.quiz.messages import say

if TYPE_CHECKING:
    from d2l_tui.kernel import CellResult, Kernel, Mismatch, ValueData
    from d2l_tui.quiz.model import Quiz

ANSWER_TIMEOUT_S = 5.0
SOLUTION_TIMEOUT_S = 10.0
QUIZ_KERNEL_KEY = "__quiz__"
"""The app's kernel pool keeps the quiz kernel under this key, apart from every lesson's."""
NO_VALUE = "_QuizNoValue"
ANSWER_FILE = "<cell your answer>"
SOLUTION_FILE = "<cell solution>"

# Defined in the kernel once per process; its own frames never show in tracebacks (the kernel
# keeps only frames from files named "<cell ...>").
_HELPER = f'''
import ast as _ast, linecache as _linecache

class {NO_VALUE}:
    def __repr__(self):
        return "(no value)"

def __d2l_quiz_run(source, filename):
    ns = {{"__builtins__": __builtins__, "__name__": "__quiz__"}}
    for name in ("np", "nd", "autograd", "gluon", "init"):
        if name in globals():
            ns[name] = globals()[name]
    if "nd" in ns:
        import mxnet
        ns["mx"] = mxnet
    _linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    tree = _ast.parse(source, filename, "exec")
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], _ast.Expr) else None
    exec(compile(tree, filename, "exec"), ns)
    if last is None:
        return {NO_VALUE}()
    return eval(compile(_ast.Expression(last.value), filename, "eval"), ns)
'''
_WRAPPER_FRAME = re.compile(r'^  File "<cell \d+>".*\n(    .*\n)?', re.MULTILINE)

_expected_cache: dict[str, ValueData] = {}


def run_isolated(kernel: Kernel, source: str, filename: str, timeout: float) -> CellResult:
    """Run `source` in a fresh namespace in `kernel`; the result's value is its last expression."""
    cell = (
        "try:\n    __d2l_quiz_run\nexcept NameError:\n"
        f"    exec(compile({_HELPER!r}, '<quiz grader>', 'exec'))\n"
        f"__d2l_quiz_run({source!r}, {filename!r})\n"
    )
    return kernel.run(cell, timeout=timeout, want_value=True)


def clean_error(error: str | None) -> str:
    """The kernel's traceback without the grader's own wrapper line."""
    return _WRAPPER_FRAME.sub("", error or "").strip()


def last_line(error: str | None) -> str:
    """The last line of a traceback: the exception and its message."""
    lines = [line for line in (error or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "an unknown error"


def _has_value(result: CellResult) -> bool:
    return result.value is not None and result.value.type_name not in (NO_VALUE, "NoneType")


def run_solution(kernel: Kernel, solution: str, timeout: float = SOLUTION_TIMEOUT_S) -> tuple[ValueData | None, str]:
    """Run a quiz's solution; return its value, or None and why it failed."""
    from d2l_tui.kernel import CellStatus

    result = run_isolated(kernel, solution, SOLUTION_FILE, timeout)
    if result.status is CellStatus.TIMEOUT:
        return None, f"it ran longer than {timeout:g} s"
    if not result.ok:
        return None, last_line(clean_error(result.error))
    if not _has_value(result):
        return None, "its last line must be an expression giving the expected value (it gives none)"
    return result.value, ""


def expected_value(kernel: Kernel, quiz: Quiz) -> tuple[ValueData | None, str]:
    """The solution's value, computed once per solution text."""
    solution = quiz.solution or ""
    if solution not in _expected_cache:
        value, problem = run_solution(kernel, solution, SOLUTION_TIMEOUT_S)
        if value is None:
            return None, problem
        _expected_cache[solution] = value
    return _expected_cache[solution], ""


def grade_code(quiz: Quiz, answer: str, kernel: Kernel, timeout: float = ANSWER_TIMEOUT_S, lang: str = "en") -> Grade:
    """Run the learner's code and the solution, and compare type, shape, dtype and values."""
    from d2l_tui.kernel import KernelBusy

    if not answer.strip():
        return Grade("invalid", say(lang, "code-empty"))
    try:
        compile(answer, ANSWER_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        why = getattr(error, "msg", str(error))
        return Grade("invalid", say(lang, "code-syntax", line=getattr(error, "lineno", None) or 1, why=why))
    try:
        expected, problem = expected_value(kernel, quiz)
        if expected is None:
            return Grade("invalid", say(lang, "code-no-solution", why=problem))
        result = run_isolated(kernel, answer, ANSWER_FILE, timeout)
    except KernelBusy:
        return Grade("invalid", say(lang, "code-busy"))
    note = say(lang, "code-printed", count=result.dropped_lines) if result.dropped_lines else ""
    failed = _failed_run(result, timeout, note, lang)
    if failed is not None:
        return failed
    assert result.value is not None
    verdict = compare_answer(result.value, expected, quiz, lang)
    return Grade(verdict.outcome, verdict.message + note, verdict.score)


def _failed_run(result: CellResult, timeout: float, note: str, lang: str) -> Grade | None:
    """The grade of an answer whose run gave no value to compare (timed out, died, raised, a statement)."""
    from d2l_tui.kernel import CellStatus

    if result.status is CellStatus.TIMEOUT:
        restarted = say(lang, "code-restarted") if result.restarted else ""
        return Grade("wrong", say(lang, "code-timeout", seconds=timeout) + restarted + note)
    if result.status is CellStatus.DIED:
        return Grade("wrong", say(lang, "code-died", why=result.error) + note)
    if result.status is CellStatus.INTERRUPTED:
        return Grade("invalid", say(lang, "code-stopped"))
    if result.status is CellStatus.ERROR:
        raised = clean_error(result.error)
        return Grade("wrong", say(lang, "code-raised", error=last_line(raised)) + note, detail=raised)
    if not _has_value(result):
        gave_none = result.value is not None and result.value.type_name == "NoneType"
        return Grade("invalid", say(lang, "code-none" if gave_none else "code-no-value") + note)
    return None


def compare_answer(got: ValueData, expected: ValueData, quiz: Quiz, lang: str = "en") -> Grade:
    """Compare an answer's value with the solution's: array type, shape, dtype, then values."""
    from d2l_tui.kernel import find_mismatch

    different = _different_array(got, expected, lang)
    if different is not None:
        return different
    tolerance = quiz.tolerance
    rtol = tolerance.rel if tolerance.rel is not None else 1e-5
    atol = tolerance.abs if tolerance.abs is not None else 1e-8
    mismatch = find_mismatch(got, expected, rtol=rtol, atol=atol)
    if mismatch is not None:
        why = _mismatch_words(mismatch, lang)
        return Grade("wrong", say(lang, "code-values" if got.shape is not None else "code-differs", why=why))
    dtype = f", {got.dtype}" if got.dtype else ""
    return Grade("right", say(lang, "code-right", shape=got.shape, dtype=dtype), 1.0)


def _different_array(got: ValueData, expected: ValueData, lang: str) -> Grade | None:
    """A wrong grade when the arrays differ in type, shape or dtype; None when they match so far."""
    if got.shape and expected.shape and got.type_name != expected.type_name:
        return Grade("wrong", say(lang, "code-type", want=_type_words(expected.type_name, lang),
                                  have=_type_words(got.type_name, lang)))
    if got.shape is None or expected.shape is None:
        return None
    if got.shape != expected.shape:
        return Grade("wrong", say(lang, "code-shape", have=got.shape, want=expected.shape))
    if got.dtype and expected.dtype and got.dtype != expected.dtype:
        return Grade("wrong", say(lang, "code-dtype", have=got.dtype, want=expected.dtype))
    return None


def _mismatch_words(mismatch: Mismatch, lang: str) -> str:
    """Say in the lesson's language how the values differ: where and which way, never the right value
    (that comes with the solution, on `s` or after the third try)."""
    m = mismatch
    if m.kind == "values":
        key = "mismatch-values" if m.index else "mismatch-value"
        direction = say(lang, f"direction-{_direction(m.got, m.want)}")
        return say(lang, key, count=m.count, size=m.size, got=m.got, direction=direction, index=m.index,
                   rtol=m.rtol, atol=m.atol)
    return say(lang, f"mismatch-{m.kind}", got=m.got, want=m.want)


def _direction(got: str, want: str) -> str:
    """"high" or "low" when both sides are numbers; "other" for NaN against a number and the like."""
    try:
        have, wanted = float(got), float(want)
    except ValueError:
        return "other"
    if have > wanted:
        return "high"
    return "low" if have < wanted else "other"


def _type_words(type_name: str, lang: str) -> str:
    """Name an array type the way the lessons do."""
    return say(lang, type_name) if type_name in ("NDArray", "ndarray") else type_name


def check_solutions(lessons: list[Lesson], timeout: float = SOLUTION_TIMEOUT_S) -> None:
    """Run every valid code quiz's solution in one kernel; record a problem on each that fails."""
    from d2l_tui.kernel import Kernel

    found = [(lesson, block) for lesson in lessons for block in lesson.blocks if _has_solution(block)]
    if not found:
        return
    with Kernel() as kernel:
        ready = kernel.wait_ready()
        missing = kernel.mxnet_problem
        for lesson, block in found:
            if not ready or missing:
                why = missing["reason"] if missing else "the code kernel did not start"
                problem: Problem | None = Problem(lesson.path, block.line, f"could not run the solution: {why}", "warning")
            else:
                problem = _solution_problem(kernel, lesson, block, timeout)
            if problem is not None:
                block.problems.append(problem)
                lesson.problems.append(problem)


def _has_solution(block: Block) -> bool:
    """A valid code quiz, or a numeric one whose answer a solution computes."""
    kind = block.data.get("kind")
    return (block.type == "quiz" and not block.broken
            and (kind == "code" or (kind == "numeric" and bool(block.data.get("solution")))))


def _solution_problem(kernel: Kernel, lesson: Lesson, block: Block, timeout: float) -> Problem | None:
    """What is wrong with one quiz's solution (it fails, or computes another answer), at its line."""
    value, failure = run_solution(kernel, block.data["solution"], timeout)
    quiz_id = block.data.get("id")
    if value is not None and block.data.get("kind") == "numeric":
        failure = numeric_key_problem(block.data, value)
        if not failure:
            return None
        line = block.line + 1 + _key_offset(block.source, "answer")
        return Problem(lesson.path, line, f"quiz '{quiz_id}': {failure}")
    if value is not None:
        return None
    line = block.line + 1 + _key_offset(block.source, "solution")
    return Problem(lesson.path, line, f"quiz '{quiz_id}': the solution fails: {failure}")


def numeric_key_problem(data: dict, value: ValueData) -> str:
    """Compare a numeric quiz's `answer` with what its `solution` computes; '' when they agree."""
    from d2l_tui.quiz.grading import parse_number
    from d2l_tui.quiz.model import read_tolerance

    try:
        computed = float(value.value.reshape(-1)[0]) if getattr(value.value, "size", 0) == 1 else float(value.value)
    except (TypeError, ValueError, AttributeError):
        return f"the solution must give one number, not {value.type_name} {value.text[:40]}"
    answer = data["answer"]
    expected = parse_number(answer) if isinstance(answer, str) else float(answer)
    tolerance = read_tolerance(data.get("tolerance"))
    if abs(computed - expected) <= tolerance.allowed(expected):
        return ""
    return f"'answer' is {expected:g} but the solution computes {computed:.6g} (tolerance {tolerance.describe()})"


def _key_offset(source: str, key: str) -> int:
    """The 0-based line of a top-level YAML key in a block's body (0 when not found)."""
    return next((i for i, line in enumerate(source.splitlines()) if line.startswith(f"{key}:")), 0)
