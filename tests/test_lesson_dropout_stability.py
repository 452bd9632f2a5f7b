"""The dropout and numerical-stability lessons' numbers, recomputed: panel runs, predictions, swaps, bounds."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mxnet_tests import mxnet_or_skip
from test_app import settle
from test_predict_app import cards, commit, said, wait_for_run
from test_training_panel import until

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.quiz.predict import RunSummary, option_holds, required_settings, settles
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models import ModelFinished, run_model
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.widgets.classify_panel import ClassifyPanel

# MXNet and d2lzh come after this line: mxnet_or_skip sets the NumPy aliases MXNet 1.9.1 needs.
mx = mxnet_or_skip()
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

from d2l_tui import d2lzh as d2l

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

LANGS = ("zh", "en")
PANEL = "dropout-digits"


def lesson(lang: str, lesson_id: str) -> Lesson:
    return load_lesson(shipped_lessons_dir() / lang / f"{lesson_id}.md")


def text_of(lang: str, lesson_id: str) -> str:
    return (shipped_lessons_dir() / lang / f"{lesson_id}.md").read_text(encoding="utf-8")


def block(found: Lesson, block_id: str) -> dict[str, Any]:
    matches = [b.data for b in found.blocks if b.data.get("id") == block_id]
    assert len(matches) == 1, block_id
    return matches[0]


def percent(fraction: float | None) -> str:
    assert fraction is not None, "a classifier's run measures its accuracies"
    return f"{fraction * 100:.1f}%"


def accuracies(final: ModelFinished) -> tuple[float, float]:
    """The last epoch's (train, test) accuracy."""
    last = final.epochs[-1]
    assert last.train_acc is not None and last.test_acc is not None
    return last.train_acc, last.test_acc


@cache
def panel_run(dropout: float, epochs: int, weight_decay: float) -> ModelFinished:
    """The dropout panel's lesson settings with these three on top, trained by the app's engine."""
    data = block(lesson("en", "dropout"), PANEL)
    config, problems = TrainConfig.from_mapping(data)
    assert not problems
    config = dataclasses.replace(config, dropout=dropout, epochs=epochs, weight_decay=weight_decay)
    final = run_model(config, lambda event: None)
    assert isinstance(final, ModelFinished), final
    return final


def test_the_panel_is_the_one_hidden_layer_mlp_the_lesson_describes() -> None:
    config, _ = TrainConfig.from_mapping(block(lesson("en", "dropout"), PANEL))
    assert (config.model, config.dataset, config.num_hidden, config.dropout) == (
        "mlp",
        "digits",
        256,
        0.5,
    )
    assert set(config.editable) == {"dropout", "epochs", "weight_decay"}


@pytest.mark.parametrize("lang", LANGS)
def test_each_prediction_is_graded_by_its_run_and_says_what_the_run_did(lang: str) -> None:
    found = lesson(lang, "dropout")
    panel = block(found, PANEL)
    quizzes = [b.data for b in found.blocks if b.type == "quiz" and b.data.get("kind") == "predict"]
    assert [q["id"] for q in quizzes] == [
        "dropout-digits-heavy",
        "dropout-ex-epochs",
        "dropout-ex-weight-decay",
    ]
    for quiz in quizzes:
        wanted = required_settings(quiz, panel)
        final = panel_run(wanted["dropout"], wanted["epochs"], wanted["weight_decay"])
        last = final.epochs[-1]
        summary = RunSummary(
            PANEL,
            wanted,
            diverged=False,
            final_loss=last.loss,
            completed=True,
            test_acc=last.test_acc,
        )
        assert settles({**quiz, "settings": wanted}, summary)
        holding = [o["text"] for o in quiz["options"] if option_holds(o["outcome"], summary)]
        assert len(holding) == 1, (quiz["id"], last.test_acc)
        assert percent(last.test_acc) in quiz["explain"], (quiz["id"], last.test_acc)


@pytest.mark.parametrize("lang", LANGS)
def test_the_dropout_lesson_quotes_its_own_runs(lang: str) -> None:
    text = text_of(lang, "dropout")
    heavy, halved, plain = panel_run(0.9, 5, 0.0), panel_run(0.5, 5, 0.0), panel_run(0.0, 5, 0.0)
    assert accuracies(heavy)[1] > 0.8 > accuracies(panel_run(0.95, 5, 0.0))[1]
    for quoted in (heavy, halved, plain, panel_run(0.95, 5, 0.0)):
        assert percent(quoted.epochs[-1].test_acc) in text
    assert f"{heavy.epochs[-1].loss:.2f}" in text and f"{halved.epochs[-1].loss:.2f}" in text
    assert f"{panel_run(0.5, 5, 0.1).epochs[-1].loss:.2f}" in text
    for dropout in (0.0, 0.5):  # 20 epochs, with and without: both accuracies quoted
        train, test = accuracies(panel_run(dropout, 20, 0.0))
        assert percent(train) in text and percent(test) in text
        assert train - test < 0.03  # "about two points": little to cure
    rows = re.findall(
        r"^\| (0(?:\.\d+)?) \| (0(?:\.\d+)?) \| (\d+\.\d)% \|$", text, flags=re.MULTILINE
    )
    assert len(rows) == 6
    for dropout, decay, acc in rows:
        assert percent(panel_run(float(dropout), 5, float(decay)).epochs[-1].test_acc) == f"{acc}%"


async def back_to(pilot: Any, app: TutorApp, panel: ClassifyPanel) -> None:
    """Shift+Tab from the card back to the panel above it, as the card tells the learner."""
    for _ in range(10):
        if app.focused is panel:
            return
        await pilot.press("shift+tab")
    raise AssertionError(f"Shift+Tab never reached {panel}; focus is on {app.focused}")


async def test_a_learner_predicts_that_heavy_dropout_still_reads_most_digits(
    isolated_data_dir: Path,
) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="dropout")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await until(pilot, lambda: app.mxnet_ready, what="MXNet")
        card = cards(app)["dropout-digits-heavy"]
        panel = next(p for p in app.screen.query(ClassifyPanel) if p.key == PANEL)
        await commit(pilot, app, card, 0)  # "能，高于 80%"
        assert (panel.config.dropout, panel.config.epochs, panel.config.weight_decay) == (0.9, 5, 0)
        await back_to(pilot, app, panel)
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert panel.state.test_acc[-1] == pytest.approx(panel_run(0.9, 5, 0.0).epochs[-1].test_acc)
        assert card.grade is not None and card.grade.outcome == "right", said(card)


@pytest.mark.parametrize("lang", LANGS)
def test_the_prose_about_the_two_layer_runs_matches_their_output(lang: str) -> None:
    """Flat loss for two epochs, then train accuracy (with dropout) below test accuracy (without)."""
    found = lesson(lang, "dropout")
    for cell in ("dropout-train-scratch", "dropout-gluon"):
        rows = re.findall(
            r"loss (\d\.\d+), train acc (\d\.\d+), test acc (\d\.\d+)", block(found, cell)["expect"]
        )
        losses, train, test = ([float(row[i]) for row in rows] for i in range(3))
        assert len(rows) == 5 and min(losses[:2]) > 2.2 > losses[-1], cell
        assert train[-1] < test[-1], cell


def book_net_test_acc(drop_prob1: float, drop_prob2: float) -> float:
    """The worked solution's code, seeded as it is, and the test accuracy of its last printed epoch."""
    mx.random.seed(0)
    np.random.seed(0)
    train_iter, test_iter = d2l.load_data_digits(32)
    net = nn.Sequential()
    net.add(
        nn.Dense(256, activation="relu"),
        nn.Dropout(drop_prob1),
        nn.Dense(256, activation="relu"),
        nn.Dropout(drop_prob2),
        nn.Dense(10),
    )
    net.initialize(init.Normal(sigma=0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        d2l.train_ch3(
            net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 5, 32, None, None, trainer
        )
    return float(printed.getvalue().split()[-1])


def test_the_swapped_rates_solution_quotes_both_runs() -> None:
    swapped, book = book_net_test_acc(0.5, 0.2), book_net_test_acc(0.2, 0.5)
    for lang in LANGS:
        text = text_of(lang, "dropout")
        assert percent(swapped) in text and percent(book) in text, (swapped, book)


def two_units(dropout: float, steps: int = 20) -> np.ndarray:
    """The symmetry cell's network (two hidden units from equal weights) after `steps` of SGD."""
    mx.random.seed(0)
    X, y = nd.random.normal(shape=(5, 4)), nd.random.normal(shape=(5, 1))
    W1, b1, W2, b2 = nd.ones((4, 2)) * 0.3, nd.zeros(2), nd.ones((2, 1)) * 0.3, nd.zeros(1)
    params = [W1, b1, W2, b2]
    for param in params:
        param.attach_grad()
    for _ in range(steps):
        with autograd.record():
            H = (nd.dot(X, W1) + b1).sigmoid()
            if dropout:
                H = nd.Dropout(H, p=dropout)
            l = ((nd.dot(H, W2) + b2 - y) ** 2 / 2).sum()
        l.backward()
        for param in params:
            param[:] = param - 0.1 * param.grad
    return W1.asnumpy()


def test_equal_units_stay_equal_and_dropout_tells_them_apart() -> None:
    plain = two_units(0.0)
    assert np.array_equal(plain[:, 0], plain[:, 1])
    dropped = two_units(0.5)
    assert np.abs(dropped[:, 0] - dropped[:, 1]).max() > 1e-3


def sigmoid_grad(x: float) -> float:
    s = 1 / (1 + np.exp(-x))
    return float(s * (1 - s))


@pytest.mark.parametrize("lang", LANGS)
def test_the_stability_lesson_numbers(lang: str) -> None:
    found, text = lesson(lang, "numerical-stability"), text_of(lang, "numerical-stability")
    assert block(found, "numerical-stability-xavier-bound")["answer"] == round((6 / 320) ** 0.5, 3)
    assert f"{(6 / 512) ** 0.5:.3f}" in block(found, "numerical-stability-xavier-bound")["explain"]
    bounds = np.sqrt(6 / (np.array([64, 256, 256]) + np.array([256, 256, 10])))
    assert all(
        f"{b:.3f}" in block(found, "numerical-stability-xavier-code")["explain"] for b in bounds
    )
    assert f"{sigmoid_grad(8):.4f}" == "0.0003" and f"{0.25**10:.1e}" == "9.5e-07"
    # The prose reads its numbers off the cells' expected output (which test_lesson_code runs).
    train = block(found, "numerical-stability-xavier-train")["expect"]
    accs = [float(a) for a in re.findall(r"test acc (\d\.\d+)", train)]
    assert [round(a * 100) for a in accs] == [10, 37, 55, 94]
    assert all(f"{round(a * 100)}%" in text for a in (accs[0], accs[1], accs[3]))
    zero = block(found, "numerical-stability-zero-softmax")["expect"]
    assert float(re.findall(r"test acc (\d\.\d+)", zero)[0]) > 0.9
    assert "3.875221e-07" in block(found, "numerical-stability-sigmoid")["expect"]
    assert "3.9" in block(found, "numerical-stability-sigmoid-chain")["explain"]
