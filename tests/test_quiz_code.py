"""Code quizzes graded in a real MXNet kernel: right, wrong shape or dtype, errors, endless loops, floods."""

from __future__ import annotations

import threading
import time

import pytest

from d2l_tui.kernel import Kernel
from d2l_tui.quiz.code_grading import check_solutions, grade_code
from d2l_tui.quiz.model import Quiz

QUIZ = Quiz.from_data({
    "id": "grid", "kind": "code", "prompt": "3x4 from 0 to 11", "explain": "!",
    "solution": "x = nd.arange(12)\nx.reshape((3, 4))",
})


@pytest.fixture(scope="module")
def kernel():
    """One warm kernel for every test here (starting one takes about a second)."""
    with Kernel(max_output_lines=200) as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


def test_right_answers_in_several_spellings(kernel: Kernel) -> None:
    for answer in ("nd.arange(12).reshape((3, 4))", "nd.arange(0, 12).reshape(3, -1)",
                   "a = nd.arange(12)\nb = a.reshape((3, 4))\nb", "nd.array(list(range(12))).reshape((3, 4))"):
        result = grade_code(QUIZ, answer, kernel)
        assert result.outcome == "right", (answer, result)
        assert "(3, 4)" in result.message and "float32" in result.message


def test_wrong_shape_dtype_type_and_values_are_named(kernel: Kernel) -> None:
    cases = {
        "nd.arange(12)": "shape is (12,) but should be (3, 4)",
        "nd.arange(12).reshape((3, 4)).astype('int32')": "dtype is int32 but should be float32",
        "np.arange(12, dtype='float32').reshape(3, 4)": "Expected an MXNet NDArray",
        "nd.arange(1, 13).reshape((3, 4))": "12 of 12 values differ",
    }
    for answer, says in cases.items():
        result = grade_code(QUIZ, answer, kernel)
        assert result.outcome == "wrong" and says in result.message, (answer, result)


def test_answer_and_solution_run_apart_from_each_other(kernel: Kernel) -> None:
    # The solution defined `x`; an answer that only says `x` must not be graded with it.
    grade_code(QUIZ, "nd.arange(12).reshape((3, 4))", kernel)
    result = grade_code(QUIZ, "x", kernel)
    assert result.outcome == "wrong" and "NameError" in result.message


def test_an_answer_that_raises_is_wrong_with_its_error(kernel: Kernel) -> None:
    result = grade_code(QUIZ, "y = 1\nnd.arange(12).reshape((5, 5))", kernel)
    assert result.outcome == "wrong" and "MXNetError" in result.message
    result = grade_code(QUIZ, "1 / 0", kernel)
    assert result.message.endswith("ZeroDivisionError: division by zero")
    assert 'File "<cell your answer>", line 1' in result.detail and "__d2l_quiz_run" not in result.detail


def test_answers_that_cannot_be_graded_say_why(kernel: Kernel) -> None:
    assert "does not parse (line 1)" in grade_code(QUIZ, "nd.arange(12", kernel).message
    assert grade_code(QUIZ, "   ", kernel).outcome == "invalid"
    statement = grade_code(QUIZ, "x = nd.arange(12).reshape((3, 4))", kernel)
    assert statement.outcome == "invalid" and "ends with a statement" in statement.message
    printed = grade_code(QUIZ, "print(nd.arange(12).reshape((3, 4)))", kernel)
    assert printed.outcome == "invalid" and "gives None" in printed.message
    chinese = grade_code(QUIZ, "nd.arange(12)", kernel, lang="zh")
    assert chinese.message == "形状是 (12,)，应该是 (3, 4)。"
    values = grade_code(QUIZ, "nd.arange(1, 13).reshape((3, 4))", kernel, lang="zh")
    assert values.outcome == "wrong" and values.message.startswith("形状对了，但数值不同：12 个值里有 12 个不同，")
    assert "偏大" in values.message and "values differ" not in values.message
    # What is wrong and where, never the right value: the solution's 0 at [0, 0] is not named.
    assert "[0, 0] 处得到 1" in values.message and "应为" not in values.message


def test_an_endless_loop_is_stopped_and_reported_while_other_threads_carry_on(kernel: Kernel) -> None:
    ticks: list[float] = []
    stop = threading.Event()

    def keep_ticking() -> None:  # stands in for the UI thread, which must stay responsive
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.05)

    ticker = threading.Thread(target=keep_ticking)
    ticker.start()
    started = time.monotonic()
    try:
        result = grade_code(QUIZ, "while True:\n    pass", kernel, timeout=1.0)
    finally:
        stop.set()
        ticker.join()
    elapsed = time.monotonic() - started
    assert result.outcome == "wrong" and "stopped after 1 s" in result.message
    assert 0.9 < elapsed < 5, elapsed
    assert len(ticks) >= 15  # the other thread ran all along
    assert grade_code(QUIZ, "nd.arange(12).reshape((3, 4))", kernel).outcome == "right"


def test_a_million_printed_lines_are_cut_and_the_answer_still_graded(kernel: Kernel) -> None:
    started = time.monotonic()
    result = grade_code(QUIZ, "for i in range(1_000_000):\n    print(i)\nnd.arange(12).reshape((3, 4))", kernel)
    assert result.outcome == "right" and "999,800 lines were dropped" in result.message
    assert time.monotonic() - started < 5


def test_a_broken_solution_is_reported_not_blamed_on_the_learner(kernel: Kernel) -> None:
    broken = Quiz.from_data({"id": "b", "kind": "code", "prompt": "?", "explain": "!", "solution": "nd.nope(3)"})
    result = grade_code(broken, "nd.ones(3)", kernel)
    assert result.outcome == "invalid" and "own solution fails" in result.message and "nope" in result.message


def test_check_solutions_records_a_problem_on_the_solution_line(tmp_path) -> None:
    from d2l_tui.course.loader import load_lesson

    path = tmp_path / "lesson.md"
    path.write_text(
        "---\nid: l\ntitle: L\norder: 1\n---\n\n"
        "```quiz\nid: ok\nkind: code\nprompt: p\nsolution: nd.ones(3)\nexplain: e\n```\n\n"
        "```quiz\nid: bad\nkind: code\nprompt: p\nexplain: e\nsolution: |\n  y = 2\n  y / 0\n```\n",
        encoding="utf-8",
    )
    lesson = load_lesson(path)
    assert not lesson.problems  # loading never runs code
    check_solutions([lesson])
    assert [str(p) for p in lesson.problems] == [
        f"{path}:20: quiz 'bad': the solution fails: ZeroDivisionError: division by zero"
    ]
