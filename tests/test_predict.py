"""The predict quiz kind: its checks, and how a run's summary settles each option."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.course.loader import load_lesson
from d2l_tui.quiz.model import validate
from d2l_tui.quiz.predict import RunSummary, option_holds, outcome_of, settles
from d2l_tui.quiz.predict_grading import grade_prediction, graded_answer, read_answer

QUIZ = {
    "id": "p", "kind": "predict", "panel": "panel", "settings": {"lr": 3},
    "prompt": "What happens?", "explain": "Because.",
    "options": [{"text": "falls", "outcome": "converges"}, {"text": "explodes", "outcome": "diverges"},
                {"text": "under 1e-3", "outcome": {"final_loss_below": 1e-3}}],
}


def summary(**changes) -> RunSummary:
    values = dict(panel="panel", settings={"lr": 3, "batch_size": 10}, diverged=False, final_loss=5e-5, completed=True)
    values.update(changes)
    return RunSummary(**values)


def test_a_valid_predict_quiz_passes() -> None:
    assert validate(QUIZ) == []


def test_bad_predict_quizzes_are_explained() -> None:
    bad = {**QUIZ, "settings": {"lr": -1, "speed": 2}, "options": [{"text": "x", "outcome": "explodes"}, "plain"]}
    messages = [message for _, message in validate(bad)]
    assert any("learning rate" in m for m in messages)
    assert any("unknown setting 'speed'" in m for m in messages)
    assert any("outcome 'explodes' is not one of converges, diverges, stalls" in m for m in messages)
    assert any("option 2 must be {text: …, outcome: …}" in m for m in messages)
    comma = {**QUIZ, "options": [{"text": "a", "b": None, "outcome": "converges"}, {"text": "c", "outcome": "diverges"}]}
    assert any("option 1 has unknown keys b" in m for _, m in validate(comma))


def test_outcomes_follow_the_run() -> None:
    assert outcome_of(summary()) == "converges"
    assert outcome_of(summary(final_loss=0.5)) == "stalls"
    assert outcome_of(summary(diverged=True, final_loss=None)) == "diverges"
    assert option_holds({"final_loss_below": 1e-3}, summary())
    assert not option_holds({"final_loss_below": 1e-3}, summary(final_loss=2e-3))
    assert option_holds({"final_loss_above": 1e-3}, summary(diverged=True, final_loss=None))


def test_only_a_matching_finished_run_settles() -> None:
    assert settles(QUIZ, summary())
    assert not settles(QUIZ, summary(settings={"lr": 0.03}))
    assert not settles(QUIZ, summary(panel="other"))
    assert not settles(QUIZ, summary(completed=False))
    assert settles(QUIZ, summary(completed=False, diverged=True))


def test_a_predict_quiz_must_name_a_panel_of_its_lesson(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    path.write_text(
        "---\nid: l\ntitle: l\norder: 1\n---\n\n```train\nid: real\n```\n\n```quiz\nid: q\nkind: predict\npanel: missing\n"
        "prompt: p\nexplain: e\noptions:\n  - {text: a, outcome: converges}\n  - {text: b, outcome: diverges}\n```\n",
        encoding="utf-8",
    )
    problems = load_lesson(path).problems
    assert [(p.line, p.message) for p in problems] == [(11, "quiz names panel 'missing', but this lesson's train blocks are: real")]


def test_test_loss_outcomes_their_words_and_their_record() -> None:
    overfit = summary(final_loss=2e-13, test_loss=124.0)
    assert option_holds({"test_loss_above": 100}, overfit) and not option_holds({"test_loss_below": 100}, overfit)
    assert option_holds({"final_loss_below": 1e-3}, overfit)  # the training loss alone looks perfect
    assert not option_holds({"test_loss_below": 1}, summary(test_loss=None))  # a run that measured no test set
    assert option_holds({"test_loss_above": 1e9}, summary(diverged=True, final_loss=None))
    assert not option_holds({"test_loss_below": 1e9}, summary(diverged=True, final_loss=None))
    quiz = {**QUIZ, "options": [{"text": "small", "outcome": {"test_loss_below": 1}},
                                {"text": "large", "outcome": {"test_loss_above": 1}}]}
    right = grade_prediction(quiz, 1, overfit, "en")
    # The test loss the question is about comes first, the training loss after it, each named.
    assert right.outcome == "right"
    assert right.message == "The test loss after the last epoch was 124; the training loss was 2e-13."
    assert grade_prediction(quiz, 0, overfit, "zh").message == "最后一个周期后的测试损失是 124，训练损失是 2e-13。"
    # An option about the training loss names it so, and leaves the test loss out.
    assert grade_prediction(QUIZ, 0, overfit, "en").message == "The training loss after the last epoch was 2e-13."
    assert grade_prediction(QUIZ, 0, summary(), "en").message == "The final loss was 5e-05."  # linear regression: one loss
    _, stored, _ = read_answer(quiz, graded_answer(1, overfit, None))
    assert stored is not None and stored.test_loss == 124.0 and option_holds({"test_loss_above": 100}, stored)
    assert validate(quiz) == []


def test_an_outcome_the_panel_does_not_measure_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "l.md"
    quiz = ("```quiz\nid: q{n}\nkind: predict\npanel: {panel}\nprompt: p\nexplain: e\noptions:\n"
            "  - {{text: a, outcome: {{{name}_below: 1}}}}\n  - {{text: b, outcome: converges}}\n```\n")
    path.write_text(
        "---\nid: l\ntitle: l\norder: 1\n---\n\n```train\nid: line\n```\n\n```train\nid: poly\nmodel: poly\n```\n\n"
        + quiz.format(n=1, panel="line", name="test_loss") + "\n" + quiz.format(n=2, panel="poly", name="test_acc")
        + "\n" + quiz.format(n=3, panel="poly", name="test_loss"),
        encoding="utf-8",
    )
    problems = [p.message for p in load_lesson(path).problems]
    assert problems == [
        "option 1: 'test_loss_below' needs a panel that measures test loss (model: softmax / mlp / poly / high-dim),"
        " but panel is model: linear-regression",
        "option 1: 'test_acc_below' needs a panel that measures test acc (model: softmax / mlp), but panel is model: poly",
    ]
