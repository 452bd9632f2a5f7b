"""The mlp-scratch and mlp-gluon lessons' numbers are recomputed: panel runs, exercise tables, side runs."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from lesson_parts import block, lesson, solution_text

from d2l_tui.course.catalog import Course
from d2l_tui.course.model import Lesson
from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet
from d2l_tui.quiz.predict import RunSummary, option_holds, required_settings, settles
from d2l_tui.training.config import TrainConfig
from d2l_tui.training.models import ModelFinished, run_model

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

try:  # through mxnet_env, which restores the NumPy aliases MXNet 1.9.1 needs on NumPy 1.24+
    load_mxnet()
except MXNetUnavailable as missing:
    pytest.skip(f"MXNet cannot be used here: {missing.reason}", allow_module_level=True)

LANGS = ("zh", "en")
SCRATCH, GLUON = "mlp-scratch", "mlp-gluon"

PREDICTIONS = {
    # quiz id: (index of the option the explanation calls right, test accuracy it quotes)
    "softmax-preview-mlp-two-units": (1, "51.0%"),
    "mlp-scratch-sigmoid": (1, "81.3%"),
    "mlp-scratch-sigmoid-longer": (0, "95.3%"),
    "mlp-gluon-lr-small": (1, "88.6%"),
    "mlp-gluon-lr-large": (1, "9.7%"),
    "mlp-gluon-tanh": (0, "95.8%"),
}


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


@cache
def panel_run(impl: str, **settings: Any) -> ModelFinished:
    """A run of the engine the panels use, with the lessons' panel settings under `settings`."""
    values = {
        "impl": impl,
        "dataset": "digits",
        "num_hidden": 256,
        "activation": "relu",
        "lr": 0.5,
        "batch_size": 32,
        "epochs": 5,
        "seed": 0,
        **settings,
    }
    final = run_model(TrainConfig.for_model("mlp", values), lambda event: None)
    assert isinstance(final, ModelFinished), final
    return final


def final_acc(run: ModelFinished) -> float:
    acc = run.epochs[-1].test_acc
    assert acc is not None
    return acc


@pytest.mark.parametrize("quiz_id", PREDICTIONS)
def test_each_prediction_is_borne_out_by_its_panel(course: Course, quiz_id: str) -> None:
    right, quoted = PREDICTIONS[quiz_id]
    for lang in LANGS:
        found = lesson(
            course, SCRATCH if quiz_id.startswith(("mlp-scratch", "softmax")) else GLUON, lang
        )
        data = block(found, quiz_id).data
        panel = block(found, data["panel"]).data
        wanted = required_settings(data, panel)
        config, problems = TrainConfig.from_mapping(panel)
        assert not problems
        config = dataclasses.replace(config, **wanted)
        values = {
            k: v
            for k, v in dataclasses.asdict(config).items()
            if k in {"num_hidden", "activation", "lr", "epochs"}
        }
        run = panel_run(config.impl, **values)
        summary = RunSummary(
            data["panel"],
            wanted,
            diverged=False,
            final_loss=run.epochs[-1].loss,
            completed=True,
            test_acc=final_acc(run),
        )
        assert settles({**data, "settings": wanted}, summary)
        holds = [option_holds(option["outcome"], summary) for option in data["options"]]
        assert holds[right] and not any(h for i, h in enumerate(holds) if i != right), (
            quiz_id,
            holds,
        )
        assert percent(final_acc(run)) == quoted and quoted in data["explain"], (
            quiz_id,
            final_acc(run),
        )


def test_the_panels_own_runs_match_what_the_explanations_compare_with(course: Course) -> None:
    assert (
        percent(final_acc(panel_run("scratch"))) == "95.8%"
    )  # sigmoid's explanation: "against 95.8% with ReLU"
    assert percent(final_acc(panel_run("gluon"))) == "95.5%"  # lr-small and tanh: "95.5%"
    assert percent(panel_run("gluon").epochs[1].test_acc or 0) == "91.6%"
    sigmoid = panel_run("scratch", activation="sigmoid")
    assert [percent(e.test_acc or 0) for e in sigmoid.epochs[:2]] == [
        "10.0%",
        "10.0%",
    ]  # "first two epochs at 10%"
    for lang in LANGS:
        explain = block(lesson(course, SCRATCH, lang), "mlp-scratch-sigmoid").data["explain"]
        assert "95.8%" in explain and "10%" in explain
        assert "95.5%" in block(lesson(course, GLUON, lang), "mlp-gluon-tanh").data["explain"]


def table(text: str, first: str) -> list[list[str]]:
    """The cells of the Markdown table row starting with `first` (after the header row)."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first:
            return [cells[1:]]
    raise AssertionError(f"no table row starting with {first!r}")


def test_the_width_table_is_recomputed(course: Course) -> None:
    widths = [2, 8, 32, 256, 1024]
    measured = [percent(final_acc(panel_run("scratch", num_hidden=n))) for n in widths]
    for lang in LANGS:
        text = solution_text(lesson(course, SCRATCH, lang), "mlp-scratch-ex-width")
        head = table(text, "`num_hidden`")[0]
        assert head == [str(n) for n in widths]
        row = table(text, "test accuracy" if lang == "en" else "测试准确率")[0]
        assert row == measured, (lang, row, measured)
    # The quiz's answer: 256 and 1024 within a point of each other.
    assert (
        abs(final_acc(panel_run("scratch", num_hidden=1024)) - final_acc(panel_run("scratch")))
        < 0.01
    )


def test_the_activation_table_is_recomputed(course: Course) -> None:
    for lang in LANGS:
        found = lesson(course, GLUON, lang)
        text = solution_text(found, "mlp-gluon-ex-activations")
        for activation in ("relu", "tanh", "sigmoid"):
            run = panel_run("gluon", activation=activation)
            assert table(text, activation)[0] == [percent(e.test_acc or 0) for e in run.epochs], (
                lang,
                activation,
            )
    tanh, relu, sigmoid = (
        final_acc(panel_run("gluon", activation=a)) for a in ("tanh", "relu", "sigmoid")
    )
    assert (
        abs(tanh - relu) < 0.01 and min(tanh, relu) - sigmoid > 0.10
    )  # the quiz's answer, option 1


# -- side runs with the lessons' own code (d2lzh's loaders and train_ch3) --------------------------


def trained(
    build: Callable[[], tuple[Any, Any, Any]], epochs: int = 5, skip_first_batch: bool = True
) -> list[str]:
    """Seed as a lesson's setup does, read the first batch once (as its data cell), train; the printed lines."""
    import mxnet as mx
    import numpy as np
    from mxnet.gluon import loss as gloss

    from d2l_tui import d2lzh as d2l

    mx.random.seed(0)
    np.random.seed(0)
    train_iter, test_iter = d2l.load_data_digits(32)
    for _ in train_iter if skip_first_batch else ():
        break
    net, params, trainer = build()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        d2l.train_ch3(
            net,
            train_iter,
            test_iter,
            gloss.SoftmaxCrossEntropyLoss(),
            epochs,
            32,
            params,
            None if trainer else 0.5,
            trainer,
        )
    return out.getvalue().splitlines()


def scratch_mlp(w1: Any = None, w2: Any = None, relu: str = "maximum") -> tuple[Any, Any, None]:
    """The scratch lesson's network, with optional starting weights and another way to write ReLU."""
    from mxnet import nd

    W1 = nd.random.normal(scale=0.01, shape=(64, 256)) if w1 is None else w1()
    b1 = nd.zeros(256)
    W2 = nd.random.normal(scale=0.01, shape=(256, 10)) if w2 is None else w2()
    b2 = nd.zeros(10)
    params = [W1, b1, W2, b2]
    for param in params:
        param.attach_grad()

    def net(X: Any) -> Any:
        Z = nd.dot(X.reshape((-1, 64)), W1) + b1
        H = nd.maximum(Z, 0) if relu == "maximum" else Z.relu()
        return nd.dot(H, W2) + b2

    return net, params, None


def expect_of(found: Lesson, cell_id: str) -> list[str]:
    return str(block(found, cell_id).data["expect"]).splitlines()


def test_zeroed_weights_leave_a_blind_guess(course: Course) -> None:
    from mxnet import nd

    lines = trained(lambda: scratch_mlp(lambda: nd.zeros((64, 256)), lambda: nd.zeros((256, 10))))
    last = re.match(r"epoch 5, loss ([\d.]+), train acc [\d.]+, test acc ([\d.]+)", lines[-1])
    assert last, lines
    assert (last[1], last[2]) == ("2.3078", "0.100")
    for lang in LANGS:
        explain = block(lesson(course, SCRATCH, lang), "mlp-scratch-zero-init").data["explain"]
        assert "2.308" in explain and "10.0%" in explain


def test_softmax_regression_trained_the_same_way_does_as_well(course: Course) -> None:
    from mxnet import nd

    def softmax_regression() -> tuple[Any, Any, None]:
        W, b = nd.random.normal(scale=0.01, shape=(64, 10)), nd.zeros(10)
        W.attach_grad()
        b.attach_grad()
        return (lambda X: nd.dot(X.reshape((-1, 64)), W) + b), [W, b], None

    lines = trained(softmax_regression)
    assert lines[-1].startswith("epoch 5, loss 0.2821,") and lines[-1].endswith("test acc 0.958"), (
        lines
    )
    mlp_last = expect_of(lesson(course, SCRATCH, "en"), "mlp-scratch-train")[-1]
    assert mlp_last.startswith("epoch 5, loss 0.1509,") and mlp_last.endswith("test acc 0.950")
    for lang in LANGS:
        text = lesson(course, SCRATCH, lang).path.read_text(encoding="utf-8")
        assert all(quoted in text for quoted in ("95.8%", "0.28", "0.15", "95.0%")), lang


def test_the_signal_shrinks_tenfold_per_layer_at_sigma_001(course: Course) -> None:
    import mxnet as mx
    import numpy as np
    from mxnet import nd

    from d2l_tui import d2lzh as d2l

    mx.random.seed(0)
    np.random.seed(0)
    _, test_iter = d2l.load_data_digits(359)
    X = next(iter(test_iter))[0].reshape((-1, 64))
    W1 = nd.random.normal(scale=0.01, shape=(64, 256))
    W2 = nd.random.normal(scale=0.01, shape=(256, 128))
    H1 = nd.maximum(nd.dot(X, W1), 0)
    H2 = nd.maximum(nd.dot(H1, W2), 0)
    rms = [float((a**2).mean().sqrt().asscalar()) for a in (X, H1, H2)]
    assert [f"{rms[0]:.2f}", f"{rms[1]:.3f}", f"{rms[2]:.4f}"] == ["0.48", "0.027", "0.0035"]
    for lang in LANGS:
        text = lesson(course, SCRATCH, lang).path.read_text(encoding="utf-8")
        assert all(q in text for q in ("0.48", "0.027", "0.0035", "87.7%")), lang
    deeper = expect_of(lesson(course, SCRATCH, "en"), "mlp-scratch-ex-deeper-train")
    assert deeper[-1].endswith("test acc 0.877") and deeper[0].endswith("test acc 0.097")


def test_how_the_two_lessons_can_be_made_to_differ(course: Course) -> None:
    """The multi quiz's options: a transposed draw or a skipped shuffle differ; relu() and the trainer do not."""
    from mxnet import nd

    scratch = expect_of(lesson(course, SCRATCH, "en"), "mlp-scratch-train")
    assert (
        expect_of(lesson(course, GLUON, "en"), "mlp-gluon-same-start") == scratch
    )  # the trainer: same
    # Two epochs tell each apart (test_lesson_code runs the scratch lesson's cell in full).
    assert trained(lambda: scratch_mlp(relu="relu"), epochs=2) == scratch[:2]
    transposed = trained(
        lambda: scratch_mlp(lambda: nd.random.normal(scale=0.01, shape=(256, 64)).T), epochs=2
    )
    assert transposed[0] != scratch[0] and transposed[1] != scratch[1]
    assert trained(lambda: scratch_mlp(), epochs=2, skip_first_batch=False)[0] != scratch[0]
    answer = block(lesson(course, GLUON, "en"), "mlp-gluon-why-differ").data["answer"]
    assert answer == [0, 1]


def test_too_large_a_rate_kills_the_relu_units(course: Course) -> None:
    from mxnet import gluon, init, nd
    from mxnet.gluon import nn

    from d2l_tui.datasets import load_digits

    holder: dict[str, Any] = {}

    def gluon_mlp() -> tuple[Any, None, Any]:
        net = nn.Sequential()
        net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
        net.initialize(init.Normal(sigma=0.01))
        holder["net"] = net
        return net, None, gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 2})

    trained(gluon_mlp)
    hidden = holder["net"][0](nd.array(load_digits().train_x.reshape(-1, 64)))
    dead = int(((hidden > 0).sum(axis=0) == 0).sum().asscalar())
    assert dead == 251
    for lang in LANGS:
        assert "251" in block(lesson(course, GLUON, lang), "mlp-gluon-lr-large").data["explain"]


def test_the_gluon_lesson_quotes_its_own_cells(course: Course) -> None:
    found = lesson(course, GLUON, "en")
    assert expect_of(found, "mlp-gluon-train")[-1].endswith("test acc 0.953")
    deeper = expect_of(found, "mlp-gluon-ex-deeper-train")
    scaled = expect_of(found, "mlp-gluon-ex-deeper-scale")
    assert deeper[0].endswith("test acc 0.100") and deeper[-1].endswith("test acc 0.908")
    assert scaled[0].endswith("test acc 0.903") and scaled[-1].endswith("test acc 0.969")
    for lang in LANGS:
        text = lesson(course, GLUON, lang).path.read_text(encoding="utf-8")
        assert all(
            q in text for q in ("95.3%", "95.0%", "10.0%", "90.8%", "90.3%", "96.9%", "87.7%")
        ), lang


def test_the_counting_quizzes_are_recomputed(course: Course) -> None:
    from mxnet import nd

    from d2l_tui import d2lzh as d2l

    train_iter, _ = d2l.load_data_digits(32)
    sizes = [len(y) for _, y in train_iter]
    assert (len(sizes), sizes[-1], 5 * len(sizes)) == (45, 30, 225)
    steps = block(lesson(course, GLUON, "en"), "mlp-gluon-steps").data
    assert steps["answer"] == 225 and "30" in steps["explain"]
    assert (-(-60000 // 256), 5 * -(-60000 // 256)) == (235, 1175)
    wider = [nd.zeros((64, 512)), nd.zeros(512), nd.zeros((512, 10)), nd.zeros(10)]
    assert sum(p.size for p in wider) == 38410
    for lang in LANGS:
        found = lesson(course, SCRATCH, lang)
        assert block(found, "mlp-scratch-wider-shapes").data["answer"] == [0, 1, 2]
        assert "38,410" in block(found, "mlp-scratch-wider-shapes").data["explain"]
        assert (
            block(found, "mlp-scratch-book-params").data["answer"]
            == 784 * 256 + 256 + 256 * 10 + 10
        )
        assert "1,175" in block(lesson(course, GLUON, lang), "mlp-gluon-steps").data["explain"]
