"""The softmax-regression and image-classification-data lessons' numbers, recomputed with MXNet and the shipped data."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip

from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.datasets import class_names, load_digits
from d2l_tui.datasets.catalog import FASHION_MNIST, FASHION_MNIST_FILES
from d2l_tui.datasets.digits import read_digits
from d2l_tui.graphs.compute import compute
from d2l_tui.graphs.expr import parse_graph
from d2l_tui.paths import shipped_lessons_dir

mx = mxnet_or_skip()
# MXNet only after mxnet_or_skip: it sets the NumPy aliases MXNet 1.9.1 needs on new NumPy.
from mxnet import autograd, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

from d2l_tui import d2lzh as d2l

pytestmark = pytest.mark.lesson_facts  # the lesson's own numbers: run once, on the README's Python (see .ci/run)

LANGS = ("zh", "en")


def lesson(lang: str, lesson_id: str) -> Lesson:
    return load_lesson(shipped_lessons_dir() / lang / f"{lesson_id}.md")


def text(lang: str, lesson_id: str) -> str:
    return (shipped_lessons_dir() / lang / f"{lesson_id}.md").read_text(encoding="utf-8")


def block(lang: str, lesson_id: str, block_id: str) -> dict[str, Any]:
    found = [b.data for b in lesson(lang, lesson_id).blocks if b.data.get("id") == block_id]
    assert len(found) == 1, (lang, lesson_id, block_id)
    return found[0]


def answer(lang: str, lesson_id: str, quiz_id: str) -> float:
    return float(block(lang, lesson_id, quiz_id)["answer"])


# -- softmax-regression ------------------------------------------------------------------------


def test_softmax_of_one_two_three_is_what_the_prose_says() -> None:
    o = nd.array([[1, 2, 3]])
    probs = nd.softmax(o).asnumpy()[0]
    assert [round(float(math.exp(k)), 3) for k in (1, 2, 3)] == [2.718, 7.389, 20.086]
    assert round(sum(math.exp(k) for k in (1, 2, 3)), 2) == 30.19
    assert [round(float(p), 3) for p in probs] == [0.090, 0.245, 0.665]
    assert [round(-math.log(round(float(p), 3)), 3) for p in (probs[2], probs[0])] == [0.408, 2.408]
    sharper = nd.softmax(o * 2).asnumpy()[0]
    assert round(float(sharper[2]), 3) == 0.867
    shifted = nd.softmax(o + 5).asnumpy()[0]
    assert np.allclose(shifted, probs, atol=1e-6)  # adding a constant changes nothing
    for lang in LANGS:
        for quoted in ("0.090, 0.245, 0.665", "30.19", "0.408", "2.408", "0.867"):
            assert quoted in text(lang, "softmax-regression"), (lang, quoted)


def test_parameter_counts_of_the_dense_layers() -> None:
    def count(inputs: int, classes: int) -> int:
        net = nn.Dense(classes)
        net.initialize()
        net(nd.ones((1, inputs)))
        return sum(p.data().size for p in net.collect_params().values())

    assert count(2, 3) == 9 == answer("en", "softmax-regression", "softmax-preview-outputs")
    assert count(4, 3) == 15  # the 2 × 2 image, 3 classes: 12 weights, 3 biases
    for lang in LANGS:
        assert answer(lang, "softmax-regression", "softmax-preview-outputs") == 9
        assert "12 + 3 = 15" in text(lang, "softmax-regression")


def test_cross_entropy_numbers_and_quiz_answers() -> None:
    loss = gloss.SoftmaxCrossEntropyLoss()
    assert round(float(loss(nd.array([[0.0, 0.0]]), nd.array([0])).asscalar()), 3) == round(math.log(2), 3)
    assert round(-math.log(0.5), 3) == 0.693
    assert (round(-math.log(0.9), 3), round(-math.log(0.1), 3)) == (0.105, 2.303)
    assert round(math.log(3), 2) == 1.10
    likelihood = 0.5 * 0.8 * 0.25
    summed = -(math.log(0.5) + math.log(0.8) + math.log(0.25))
    assert likelihood == pytest.approx(0.1)
    assert summed == pytest.approx(-math.log(likelihood))
    # The worked solution: a thousand halves multiply to 0 in float32; their logs sum to about -693.
    probs = nd.full((1000,), 0.5)
    assert float(nd.prod(probs).asscalar()) == 0.0 < np.finfo(np.float32).tiny
    assert round(float(probs.log().sum().asscalar())) == -693
    assert 1e-46 < 2.0**-149 < 2e-45  # float32's smallest subnormal, "about 1e-45"
    for lang in LANGS:
        assert answer(lang, "softmax-regression", "softmax-preview-ce-half") == 0.693
        assert answer(lang, "softmax-regression", "softmax-preview-initial-loss") == 1.10
        assert answer(lang, "softmax-regression", "softmax-regression-likelihood") == round(summed, 3)
        assert answer(lang, "softmax-regression", "softmax-preview-equal-scores") == 0.5


def test_squared_loss_is_too_strict_and_cross_entropy_is_not() -> None:
    y = nd.one_hot(nd.array([2, 2]), 3)
    y_hat = nd.array([[0.2, 0.2, 0.6], [0.0, 0.4, 0.6]])
    squared = ((y_hat - y) ** 2).sum(axis=1).asnumpy()
    ce = (-nd.pick(y_hat, nd.array([2, 2])).log()).asnumpy()
    assert [round(float(v), 2) for v in squared] == [0.24, 0.32]
    assert ce[0] == ce[1] and round(float(ce[0]), 3) == 0.511


def test_the_gradient_of_cross_entropy_is_softmax_minus_one_hot() -> None:
    rng = np.random.RandomState(0)
    o = nd.array(rng.normal(size=(5, 4)) * 3)
    y = nd.array([0, 3, 1, 2, 3])
    o.attach_grad()
    with autograd.record():
        loss = gloss.SoftmaxCrossEntropyLoss()(o, y)
    loss.backward()
    assert np.allclose(o.grad.asnumpy(), (nd.softmax(o) - nd.one_hot(y, 4)).asnumpy(), atol=1e-5)
    probs = nd.softmax(nd.array([1, 2, 3])).asnumpy()
    for lang in LANGS:
        assert answer(lang, "softmax-regression", "softmax-regression-grad-value") == round(float(probs[2]) - 1, 3)


def test_the_graph_hands_the_true_score_its_probability_minus_one() -> None:
    data = block("en", "softmax-regression", "softmax-regression-graph")
    graph = parse_graph(data["expression"], data["inputs"])
    numbers = compute(graph)
    by_name = {node.name: i for i, node in enumerate(graph.nodes) if node.op == "input"}
    p_a = math.exp(2) / (math.exp(2) + 1)
    assert numbers.grads[by_name["a"]] == pytest.approx(p_a - 1, abs=1e-5)
    assert numbers.grads[by_name["b"]] == pytest.approx(1 - p_a, abs=1e-5)
    assert data == block("zh", "softmax-regression", "softmax-regression-graph") | {"title": data["title"]}


def test_accuracy_count_and_the_three_clouds_setup() -> None:
    for lang in LANGS:
        assert answer(lang, "softmax-regression", "softmax-preview-accuracy-count") == round(100 - 0.92 * 100)


# -- image-classification-data ---------------------------------------------------------------


def test_the_digits_are_what_the_lesson_says() -> None:
    pixels, labels = read_digits()
    assert pixels.shape == (1797, 8, 8) and (pixels.min(), pixels.max()) == (0, 16)
    split = load_digits()
    assert (len(split.train_y), len(split.test_y)) == (1438, 359)
    # Each digit in proportion: its test share is within one image of a fifth.
    for digit in range(10):
        assert abs(np.sum(split.test_y == digit) - 0.2 * np.sum(labels == digit)) <= 1
    assert 70000 / 1797 == pytest.approx(40, abs=1.5)  # "about forty times smaller"
    for lang in LANGS:
        page = text(lang, "image-classification-data")
        for quoted in ("1,797", "1,438", "359", "CC BY 4.0", "10.24432/C50P49", "0 到 16" if lang == "zh" else "0 to 16"):
            assert quoted in page, (lang, quoted)


def test_fashion_mnist_facts_and_names() -> None:
    megabytes = sum(f.size for f in FASHION_MNIST_FILES) / 1e6
    assert round(megabytes) == 31
    assert math.ceil(60000 / 256) == 235 and 60000 - 234 * 256 == 96
    for lang in LANGS:
        assert answer(lang, "image-classification-data", "image-classification-data-counts") == 235
        names = ("、" if lang == "zh" else ", ").join(class_names(FASHION_MNIST, lang))
        assert names in text(lang, "image-classification-data"), lang
    assert d2l.get_fashion_mnist_labels([0, 9, 6, 2]) == ["t-shirt", "ankle boot", "shirt", "pullover"]


def test_loaders_batches_and_the_last_batch() -> None:
    train_iter, test_iter = d2l.load_data_digits(256)
    assert (len(train_iter), len(test_iter)) == (6, 2)
    sizes = [X.shape[0] for X, _ in train_iter]
    assert sizes == [256] * 5 + [158]
    X, y = next(iter(test_iter))
    assert X.shape == (256, 1, 8, 8) and X.dtype == np.float32 and y.dtype == np.int32
    # The prose says the test loader's first labels are the test gallery's.
    assert y[:10].asnumpy().tolist() == load_digits().test_y[:10].tolist()
    for lang in LANGS:
        assert answer(lang, "image-classification-data", "image-classification-data-last-batch") == 158


def test_to_tensor_scales_converts_and_moves_the_channel() -> None:
    img = nd.array([[0, 128], [255, 64]], dtype="uint8").reshape((2, 2, 1))
    t = gdata.vision.transforms.ToTensor()(img)
    assert t.shape == (1, 2, 2) and t.dtype == np.float32
    assert round(float(t[0, 0, 1].asscalar()), 3) == round(128 / 255, 3) == 0.502


def test_the_exercise_solutions_name_what_mxnet_has() -> None:
    datasets = sorted(n for n in dir(gdata.vision) if n[0].isupper())
    assert datasets == ["CIFAR10", "CIFAR100", "FashionMNIST", "ImageFolderDataset", "ImageRecordDataset", "MNIST"]
    options = block("en", "image-classification-data", "image-classification-data-vision-sets")["options"]
    right = set(block("en", "image-classification-data", "image-classification-data-vision-sets")["answer"])
    assert {i for i, name in enumerate(options) if name in datasets} == right
    transforms = {n for n in dir(gdata.vision.transforms) if n[0].isupper()}
    listed = set(re.findall(r"`(\w+)`", text("en", "image-classification-data").split("dir(gdata.vision.transforms)")[1].split("```python")[0]))
    assert listed == transforms - {"Block", "HybridBlock", "Sequential", "HybridSequential", "Compose", "ToTensor", "Resize"}
    composed = gdata.vision.transforms.Compose([gdata.vision.transforms.Resize(4), gdata.vision.transforms.ToTensor()])
    out = composed(nd.full((8, 8, 1), 255, dtype="uint8"))
    assert out.shape == (1, 4, 4) and float(out.min().asscalar()) == 1.0
