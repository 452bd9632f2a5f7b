"""The softmax-regression-scratch and -gluon lessons' facts, recomputed: what the prose says of the
cells' runs, float32's limits, the code quizzes' numbers, every predict quiz settled by the real
engine, and the Gluon lesson's tuning table, run by run."""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mxnet_tests import mxnet_or_skip
from lesson_parts import block
from test_errata import table_rows

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.kernel import Kernel
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.quiz.predict import RunSummary, option_holds, required_settings
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.events import Diverged
from d2l_tui.training.models import ModelFinished, run_model
from d2l_tui.ui.kernels import lesson_setup
from d2l_tui.ui.widgets.cell_output import displayed_text

mx = mxnet_or_skip()
from mxnet import gluon, nd  # after mxnet_or_skip: it restores the NumPy aliases MXNet needs

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

SCRATCH, GLUON = "softmax-regression-scratch", "softmax-regression-gluon"
LANGS = ("en", "zh")
TRAIN_DIGITS, TEST_DIGITS = 1438, 359


@cache
def course() -> Course:
    return Course.load(shipped_lessons_dir())


@cache
def lesson(lesson_id: str, lang: str) -> Lesson:
    return next(item for item in course().in_language(lang) if item.id == lesson_id)


def text_of(lesson_id: str, lang: str) -> str:
    return Path(lesson(lesson_id, lang).path).read_text(encoding="utf-8")


@cache
def run(lesson_id: str, panel_id: str, settings: tuple[tuple[str, Any], ...] = ()) -> Any:
    """The engine's run of a panel with `settings` on top of the lesson's: what pressing `s` trains."""
    data = {k: v for k, v in block(lesson(lesson_id, "en"), panel_id).data.items() if k not in ("id", "title")}
    config, problems = TrainConfig.from_mapping({**data, **dict(settings)})
    assert not problems, problems
    return run_model(config, lambda event: None)


def final_acc(final: Any) -> float:
    assert isinstance(final, ModelFinished), final
    return float(final.epochs[-1].test_acc)


def summary_of(panel_id: str, final: Any) -> RunSummary:
    """What the app hands a predict card when the run ends (see `quiz_predict.relay_run_end`)."""
    losses = final.record.epoch_losses
    epochs = final.epochs if isinstance(final, ModelFinished) else ()
    return RunSummary(
        panel_id, dict(final.record.settings), isinstance(final, Diverged), losses[-1] if losses else None,
        isinstance(final, ModelFinished), None, epochs[-1].test_acc if epochs else None,
    )


def probe(kernel: Kernel, code: str) -> str:
    result = kernel.run(code, timeout=60)
    assert result.ok, result.text
    return displayed_text(result).strip()


def test_the_scratch_cells_numbers_that_the_prose_quotes() -> None:
    """Run the lesson's own cells and count what the prose counts: 8 right and 277 threes or fives
    before training, 23 wrong after it."""
    found = lesson(SCRATCH, "en")
    probes = {
        "softmax-regression-scratch-evaluate": (
            "_p = nd.concat(*[net(X).argmax(axis=1) for X, _ in test_iter], dim=0).asnumpy().astype(int)\n"
            "_c = np.bincount(_p, minlength=10)\n"
            "print(round(evaluate_accuracy(test_iter, net) * 359), _c[3] + _c[5], _c.argmax())"
        ),
        "softmax-regression-scratch-train": "print(359 - round(evaluate_accuracy(test_iter, net) * 359))",
    }
    seen: dict[str, str] = {}
    with Kernel(lesson_setup(found)) as kernel:
        for item in found.blocks:
            if item.type != "code":
                continue
            assert kernel.run(item.data["code"], timeout=120).ok, item.data.get("id")
            if item.data.get("id") in probes:
                seen[item.data["id"]] = probe(kernel, probes[item.data["id"]])
    right, threes_or_fives, favourite = (int(v) for v in seen["softmax-regression-scratch-evaluate"].split())
    wrong = int(seen["softmax-regression-scratch-train"])
    assert (right, threes_or_fives, favourite, wrong) == (8, 277, 3, 23)
    en, zh = text_of(SCRATCH, "en"), text_of(SCRATCH, "zh")
    assert f"{right} of the {TEST_DIGITS} test digits, {100 * right / TEST_DIGITS:.1f}%" in en
    assert f"3 or 5 for {threes_or_fives} of the {TEST_DIGITS}" in en and f"{threes_or_fives} 张说是 3 或 5" in zh
    assert f"{wrong} of the {TEST_DIGITS}" in en and f"{TEST_DIGITS} 个里错 {wrong} 个" in zh
    assert round(TEST_DIGITS / wrong) == 16  # "about one digit in sixteen"


def expect_of(lesson_id: str, cell_id: str, lang: str = "en") -> str:
    return str(block(lesson(lesson_id, lang), cell_id).data["expect"])


def epoch_lines(text: str) -> list[tuple[float, float, float]]:
    found = re.findall(r"loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)", text)
    return [(float(a), float(b), float(c)) for a, b, c in found]


def test_gluon_trains_like_the_scratch_version() -> None:
    """The prose: the Gluon run ends at the same 0.936 and its losses agree 'to within a few thousandths'."""
    scratch = epoch_lines(expect_of(SCRATCH, "softmax-regression-scratch-train"))
    glu = epoch_lines(expect_of(GLUON, "softmax-regression-gluon-train"))
    assert len(scratch) == len(glu) == 5
    assert scratch[-1][2] == glu[-1][2] == 0.936
    assert all(abs(a[0] - b[0]) < 0.005 for a, b in zip(scratch, glu))
    assert (scratch[0][2], scratch[-1][2]) == (0.894, 0.936)  # "climbs from 0.894 ... to 0.936"
    assert scratch[0][1] == 0.627 < scratch[0][2]  # the epoch-line quiz: counted on the fly, so lower
    assert scratch[-1][0] < scratch[-2][0]  # "the loss is still falling"


def test_gluon_starts_from_the_same_random_numbers_laid_out_differently() -> None:
    """The prose: 'only the random starting weights are laid out differently' (10 × 64 against 64 × 10)."""
    mx.random.seed(0)
    W = nd.random.normal(scale=0.01, shape=(64, 10)).asnumpy()
    mx.random.seed(0)
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(10))
    net.initialize(mx.init.Normal(sigma=0.01))
    net(nd.zeros((1, 1, 8, 8)))
    G = net[0].weight.data().asnumpy()
    assert G.shape == (10, 64) and (G.ravel() == W.ravel()).all() and not (G == W.T).all()
    assert net[0].bias.data().abs().sum().asscalar() == 0  # "biases start at 0 by default"


def test_float32_limits_the_exercises_state() -> None:
    e = nd.array([50, 88.7, 88.8, -100, -103, -104]).exp().asnumpy()
    assert 5.1e21 < e[0] < 5.2e21 and math.isfinite(e[1]) and math.isinf(e[2])  # overflow above ~88.7
    assert 0 < e[3] < 4e-44 and e[4] > 0 and e[5] == 0  # rounds to 0 below about -103
    assert 7.6e-53 < math.exp(-120) / (1 + math.exp(-120)) < 7.8e-53
    assert 3.3e38 < float(nd.array([3.4e38]).asnumpy()[0]) < 3.5e38


def solved(lesson_id: str, quiz_id: str) -> Any:
    """The value of a code quiz's solution, run as the quiz runs it (nd and friends in scope)."""
    code = str(block(lesson(lesson_id, "en"), quiz_id).data["solution"]).strip().splitlines()
    namespace: dict[str, Any] = {"nd": nd, "gluon": gluon, "mx": mx}
    exec("\n".join(code[:-1]), namespace)  # noqa: S102  (the lesson's own solution, shipped with it)
    return eval(code[-1], namespace)


def test_the_code_quizzes_give_what_their_explanations_say() -> None:
    soft = solved(SCRATCH, "softmax-regression-scratch-stable-softmax").asnumpy().astype("float64")
    assert soft.round(3).tolist() == [[1.0, 0.0], [0.269, 0.731]]
    losses = solved(SCRATCH, "softmax-regression-scratch-stable-ce").asnumpy().astype("float64")
    assert losses.round(3).tolist() == [120.0, 0.313]
    fused = solved(GLUON, "softmax-regression-gluon-code").asnumpy().astype("float64")
    assert fused.round(3).tolist() == [0.408, 1000.0]


def test_the_numeric_quizzes_answers() -> None:
    en = lesson(SCRATCH, "en")
    net = gluon.nn.Dense(10)
    net.initialize()
    net(nd.zeros((1, 1, 8, 8)))
    count = sum(p.data().size for p in net.collect_params().values())
    assert count == block(en, "softmax-regression-scratch-param-count").data["answer"] == 650
    from d2l_tui import d2lzh as d2l

    train_iter, _ = d2l.load_data_digits(32)
    steps = len(list(train_iter)) * 5
    assert steps == block(lesson(GLUON, "en"), "softmax-regression-gluon-steps").data["answer"] == 225
    assert divmod(TRAIN_DIGITS, 32) == (44, 30) and math.ceil(60000 / 256) == 235


# quiz id: (lesson, the option its explanation calls right)
PREDICTIONS = {
    "softmax-preview-digits-slow-lr": (SCRATCH, 0),
    "softmax-regression-scratch-huge-lr": (SCRATCH, 1),
    "softmax-regression-gluon-huge-lr": (GLUON, 0),
    "softmax-regression-gluon-full-batch": (GLUON, 1),
}


def predict_quizzes(lesson_id: str, lang: str) -> list[dict[str, Any]]:
    return [b.data for b in lesson(lesson_id, lang).blocks if b.type == "quiz" and b.data.get("kind") == "predict"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_prediction_is_settled_by_the_engine_as_its_explanation_says(lang: str) -> None:
    quizzes = predict_quizzes(SCRATCH, lang) + predict_quizzes(GLUON, lang)
    assert sorted(q["id"] for q in quizzes) == sorted(PREDICTIONS)
    for quiz in quizzes:
        lesson_id, right = PREDICTIONS[quiz["id"]]
        panel = block(lesson(lesson_id, lang), quiz["panel"]).data
        final = run(lesson_id, quiz["panel"], tuple(sorted(required_settings(quiz, panel).items())))
        summary = summary_of(quiz["panel"], final)
        held = [option_holds(option["outcome"], summary) for option in quiz["options"]]
        assert held == [i == right for i in range(len(held))], (quiz["id"], summary)


def test_the_numbers_in_the_predictions_explanations() -> None:
    digits, gluon_digits = "softmax-preview-digits", "softmax-regression-gluon-digits"
    base = run(SCRATCH, digits)
    assert round(final_acc(base), 3) == 0.953 and round(base.record.epoch_losses[-1], 2) == 0.26
    slow = run(SCRATCH, digits, (("lr", 0.01),))
    assert round(final_acc(slow), 2) == 0.89 and round(slow.record.epoch_losses[-1], 1) == 1.9
    assert round(final_acc(run(SCRATCH, digits, (("lr", 5),))), 2) == 0.95  # "lr 5 still trains well (95%)"
    huge = run(SCRATCH, digits, (("lr", 20),))
    assert isinstance(huge, Diverged) and huge.step == 3 and math.isinf(huge.loss)
    assert round(huge.record.curve[0], 1) == 2.3 and round(huge.record.curve[1]) == 23
    glu_base, glu_huge = run(GLUON, gluon_digits), run(GLUON, gluon_digits, (("lr", 20),))
    assert round(final_acc(glu_huge), 3) == 0.955 > round(final_acc(glu_base), 3) == 0.953
    full = run(GLUON, gluon_digits, (("batch_size", TRAIN_DIGITS),))
    assert round(full.record.epoch_losses[-1], 2) == 1.87 and round(final_acc(full), 3) == 0.900
    long_full = run(GLUON, gluon_digits, (("batch_size", TRAIN_DIGITS), ("epochs", 100)))
    assert final_acc(long_full) > 0.95  # "about 100 epochs to reach the 95%"


TABLE_HEADER = {"en": "batch size", "zh": "批量大小"}


def percent(cell: str) -> float:
    return float(re.match(r"[\d.]+", cell).group())  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", LANGS)
def test_the_tuning_table_is_what_the_panel_trains(lang: str) -> None:
    rows = table_rows(text_of(GLUON, lang), TABLE_HEADER[lang])
    assert len(rows) == 11
    for batch, lr, epochs, steps, acc in rows:
        settings = (("batch_size", int(batch)), ("epochs", int(epochs)), ("lr", float(lr)))
        assert int(steps) == math.ceil(TRAIN_DIGITS / int(batch)) * int(epochs), rows
        got = round(100 * final_acc(run(GLUON, "softmax-regression-gluon-digits", settings)), 1)
        assert got == percent(acc), (batch, lr, epochs, got)


def test_the_tuning_quiz_answer_is_what_the_runs_say() -> None:
    """Each option of the tuning quiz is one change from batch 256, lr 0.5, 5 epochs (93.0%)."""
    quiz = block(lesson(GLUON, "en"), "softmax-regression-gluon-tune").data
    changes = [(("epochs", 40),), (("batch_size", 8),), (("lr", 0.05),), (("batch_size", TRAIN_DIGITS),)]
    start = {"batch_size": 256, "epochs": 5, "lr": 0.5}
    accs = [final_acc(run(GLUON, "softmax-regression-gluon-digits", tuple(sorted({**start, **dict(c)}.items()))))
            for c in changes]
    assert [i for i, acc in enumerate(accs) if acc > 0.95] == quiz["answer"] == [0, 1]
    assert round(final_acc(run(GLUON, "softmax-regression-gluon-digits", tuple(sorted(start.items())))), 3) == 0.930
    # "the train accuracy keeps rising with more epochs, and the gap to the test accuracy grows"
    short = run(GLUON, "softmax-regression-gluon-digits")
    longer = run(GLUON, "softmax-regression-gluon-digits", (("epochs", 20),))
    gap = [f.epochs[-1].train_acc - f.epochs[-1].test_acc for f in (short, longer)]
    assert longer.epochs[-1].train_acc > short.epochs[-1].train_acc and gap[1] > gap[0]

