"""Quiz grading without a kernel: numbers as learners type them, tolerances, multi, shuffling, checks."""

from __future__ import annotations

import pytest

from d2l_tui.course.directives import validate_directive
from d2l_tui.quiz.grading import NumberError, grade, grade_choice, grade_multi, grade_numeric, parse_number
from d2l_tui.quiz.model import KINDS, Quiz, validate
from d2l_tui.quiz.records import QuizRecord, after_answer, after_reveal
from d2l_tui.quiz.shuffle import learner_id, option_order


def numeric(answer: float, **extra: object) -> Quiz:
    return Quiz.from_data({"id": "n", "kind": "numeric", "prompt": "?", "explain": "!", "answer": answer, **extra})


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.5", 0.5), (".5", 0.5), ("1/2", 0.5), ("5e-1", 0.5), ("5E-1", 0.5), (" 0.5 ", 0.5),
        ("-1/4", -0.25), ("+3", 3.0), ("5.", 5.0), ("480,000", 480000.0), ("480 000", 480000.0),
        ("０．５", 0.5), ("１／２", 0.5), ("－３", -3.0), ("１２", 12.0), ("４８０，０００", 480000.0),
        ("0。5", 0.5), ("−2", -2.0), ("3 / 4", 0.75),
    ],
)
def test_parse_number_reads_what_learners_type(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "type a number first"), ("   ", "type a number first"),
        ("twelve", "is not a number"), ("十二", "is not a number"), ("1_000", "is not a number"),
        ("inf", "is not a number"), ("nan", "is not a number"), ("0x10", "is not a number"),
        ("1/0", "divides by zero"), ("1e999", "too large"), ("1/2/3", "is not a number"),
        ("0,5", "write decimals with a point (0.5)"), ("０，５", "write decimals with a point"),
    ],
)
def test_malformed_numbers_are_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(NumberError) as error:
        parse_number(text)
    assert says in str(error.value).lower()


def test_text_is_not_graded_wrong_and_says_why_in_the_lessons_language() -> None:
    quiz = numeric(11, tolerance={"abs": 0})
    english = grade_numeric(quiz, "eleven")
    assert english.outcome == "invalid" and not english.graded and "is not a number" in english.message
    chinese = grade_numeric(quiz, "十一", lang="zh")
    assert chinese.outcome == "invalid" and "不是数" in chinese.message


def test_absolute_tolerance_edges() -> None:
    quiz = numeric(12.44, tolerance={"abs": 0.2})
    assert grade_numeric(quiz, "12.64").outcome == "right"  # exactly on the edge, despite rounding
    assert grade_numeric(quiz, "12.24").outcome == "right"
    assert grade_numeric(quiz, "28/2.25").outcome == "right"
    high, low = grade_numeric(quiz, "12.65"), grade_numeric(quiz, "12.2")
    assert (high.outcome, low.outcome) == ("wrong", "wrong")
    assert "too high" in high.message and "too low" in low.message


def test_exact_and_relative_tolerances() -> None:
    exact = numeric(11, tolerance={"abs": 0})
    assert grade_numeric(exact, "11").outcome == "right" and grade_numeric(exact, "１１").outcome == "right"
    assert grade_numeric(exact, "11.001").outcome == "wrong"
    relative = numeric(480000, tolerance={"rel": 0.01})
    assert grade_numeric(relative, "484,800").outcome == "right"
    assert grade_numeric(relative, "484801").outcome == "wrong"
    both = numeric(0.001, tolerance={"abs": 0.01, "rel": 0.01})  # either one is enough
    assert grade_numeric(both, "0.011").outcome == "right"
    bare = numeric(2, tolerance=0.5)  # a bare number is absolute
    assert grade_numeric(bare, "2.5").outcome == "right" and grade_numeric(bare, "2.6").outcome == "wrong"


def test_a_unit_may_be_typed_after_the_number() -> None:
    quiz = numeric(50, tolerance={"abs": 0}, unit="%")
    assert grade_numeric(quiz, "50%").outcome == "right"
    assert grade_numeric(quiz, "50 %").outcome == "right"
    refused = grade_numeric(quiz, "50 apples")
    assert refused.outcome == "invalid" and "(in %)" in refused.message


def test_choice_right_wrong_and_nothing_chosen() -> None:
    quiz = Quiz.from_data({"id": "c", "kind": "choice", "prompt": "?", "explain": "!", "options": ["a", "b", "c"], "answer": 1})
    assert grade_choice(quiz, 1).outcome == "right" and grade_choice(quiz, 1).score == 1.0
    assert grade_choice(quiz, 0).outcome == "wrong"
    assert grade_choice(quiz, None).outcome == "invalid"
    assert grade(quiz, True).outcome == "invalid"  # a YAML boolean is not an option number


def test_multi_is_partly_right_when_some_correct_options_are_found() -> None:
    quiz = Quiz.from_data({"id": "m", "kind": "multi", "prompt": "?", "explain": "!",
                           "options": ["a", "b", "c", "d", "e"], "answer": [0, 2, 3]})
    assert grade_multi(quiz, {0, 2, 3}).outcome == "right"
    partial = grade_multi(quiz, {0, 2})
    assert partial.outcome == "partial" and partial.score == pytest.approx(2 / 3)
    assert "2 of 3" in partial.message
    extra = grade_multi(quiz, {0, 2, 3, 4})
    assert extra.outcome == "partial" and "1 wrong one" in extra.message
    assert extra.score == pytest.approx(2 / 3)
    assert grade_multi(quiz, {1, 4}).outcome == "wrong"
    assert grade_multi(quiz, set()).outcome == "invalid"
    assert "部分" not in partial.message and "3 个正确选项选中了 2 个" in grade_multi(quiz, {0, 2}, "zh").message


def test_shuffle_is_stable_per_learner_and_differs_between_learners_and_quizzes() -> None:
    first = option_order("q1", 6, "learner-a")
    assert first == option_order("q1", 6, "learner-a") and sorted(first) == list(range(6))
    orders = {tuple(option_order(f"q{i}", 6, "learner-a")) for i in range(20)}
    assert len(orders) > 10
    others = {tuple(option_order("q1", 6, f"learner-{i}")) for i in range(20)}
    assert len(others) > 10
    assert option_order("q1", 6, "learner-a", shuffle=False) == list(range(6))
    # Over many quizzes the right option is not always the first one shown.
    firsts = {option_order(f"q{i}", 4, "learner-a").index(1) for i in range(40)}
    assert firsts == {0, 1, 2, 3}


def test_learner_id_is_created_once() -> None:
    settings: dict[str, object] = {}
    made, created = learner_id(settings)
    assert created and len(made) == 16
    assert learner_id(settings) == (made, False)


def test_records_count_attempts_streaks_and_the_review_list() -> None:
    quiz = Quiz.from_data({"id": "c", "kind": "choice", "prompt": "?", "explain": "!", "options": ["a", "b"], "answer": 1})
    record = QuizRecord()
    assert after_answer(record, None, grade(quiz, None)) == record  # not graded, no attempt
    record = after_answer(record, 0, grade(quiz, 0))
    assert (record.attempts, record.correct, record.needs_review, record.settled) == (1, False, True, False)
    record = after_answer(record, 1, grade(quiz, 1))
    assert record.correct and record.settled and record.needs_review and record.streak == 1
    record = after_answer(record, 1, grade(quiz, 1))
    assert not record.needs_review and record.streak == 2 and record.attempts == 3
    assert QuizRecord.from_json(record.to_json()) == record
    revealed = after_reveal(QuizRecord())
    assert revealed.settled and revealed.needs_review and not revealed.correct
    assert not after_reveal(record).needs_review  # showing the answer after a right one is no miss
    assert QuizRecord.from_json({"attempts": "lots", "correct": 1, "streak": 2}) == QuizRecord(streak=2)
    assert QuizRecord.from_json(["not", "a", "record"]) == QuizRecord()
    assert QuizRecord.from_json({"outcome": "maybe", "attempts": 1}) == QuizRecord(attempts=1)


def messages(data: dict[str, object]) -> list[str]:
    return [message for _key, message in validate_directive("quiz", data)]


BASE = {"id": "q", "prompt": "?", "explain": "because"}


def test_every_kind_is_registered_and_unknown_kinds_are_named() -> None:
    assert set(KINDS) >= {"choice", "multi", "numeric", "code"}
    found = messages({**BASE, "kind": "essay"})
    assert found == ["unknown quiz kind 'essay'; this version knows: choice, code, multi, numeric, predict"]
    assert "did you mean 'multi'" in messages({**BASE, "kind": "mutli"})[0]


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"kind": "choice", "options": ["a", "b"], "answer": 2}, "answer 2 points past the options"),
        ({"kind": "choice", "options": ["a", "b"], "answer": [0, 1]}, "exactly one correct option"),
        ({"kind": "choice", "options": ["a", "b"]}, "needs 'answer'"),
        ({"kind": "choice", "options": ["a"], "answer": 0}, "at least two entries"),
        ({"kind": "choice", "answer": 0}, "needs 'options'"),
        ({"kind": "choice", "options": ["a", "a"], "answer": 0}, "option 'a' appears twice"),
        ({"kind": "multi", "options": ["a", "b"], "answer": []}, "at least one correct option"),
        ({"kind": "multi", "options": ["a", "b"], "answer": [0, 5]}, "answer 5 points past the options"),
        ({"kind": "multi", "options": ["a", "b"], "answer": [0, 0]}, "names the same option twice"),
        ({"kind": "numeric", "answer": 3}, "needs 'tolerance'"),
        ({"kind": "numeric", "tolerance": {"abs": 0}}, "needs 'answer'"),
        ({"kind": "numeric", "answer": "lots", "tolerance": {"abs": 0}}, "'answer' must be a number"),
        ({"kind": "numeric", "answer": 3, "tolerance": {"abs": -1}}, "must be a number of 0 or more"),
        ({"kind": "numeric", "answer": 3, "tolerance": {"absolute": 1}}, "unknown tolerance 'absolute'"),
        ({"kind": "code"}, "needs 'solution'"),
        ({"kind": "code", "solution": "nd.ones((2,)"}, "the solution does not parse"),
        ({"kind": "choice", "options": ["a", "b"], "answer": 0, "unit": "cm"}, "'unit' is not used by a choice quiz (it belongs to numeric quizzes)"),
        ({"kind": "choice", "options": ["a", "b"], "answer": 0, "panel": "p"}, "'panel' is not used by a choice quiz"),
        ({"kind": "choice", "options": ["a", "b"], "answer": 0, "explain": " "}, "'explain' is empty"),
        ({"kind": "choice", "options": ["a", "b"], "answer": 0, "id": "has space"}, "quiz id 'has space' may only use"),
    ],
)
def test_validation_names_each_problem(data: dict[str, object], expected: str) -> None:
    found = messages({**BASE, **data})
    assert any(expected in message for message in found), found


def test_valid_quizzes_of_every_kind_pass_and_explain_is_required() -> None:
    good = [
        {"kind": "choice", "options": ["a", "b"], "answer": 0, "hint": "h", "shuffle": False},
        {"kind": "multi", "options": ["a", "b", "c"], "answer": [0, 2]},
        {"kind": "numeric", "answer": "1/2", "tolerance": {"rel": 0.1}, "unit": "s"},
        {"kind": "code", "solution": "nd.arange(12).reshape((3, 4))", "tolerance": {"abs": 1e-6}},
    ]
    for data in good:
        assert validate({**BASE, **data}) == [], data
    missing = {key: value for key, value in BASE.items() if key != "explain"}
    assert messages({**missing, **good[0]}) == ["quiz block is missing 'explain', shown once the learner has answered"]


def test_the_quiz_core_imports_neither_textual_nor_mxnet() -> None:
    import subprocess
    import sys

    code = ("import d2l_tui.quiz.model, d2l_tui.quiz.grading, d2l_tui.quiz.records, d2l_tui.quiz.shuffle, "
            "d2l_tui.quiz.code_grading, sys; print(' '.join(sys.modules))")
    modules = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not {m for m in modules if m.split(".")[0] in ("textual", "mxnet")}
