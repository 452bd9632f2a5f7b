"""The book's NDArray (§3) and autograd (§5) examples: the kernel agrees with plain Python."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from d2l_tui.kernel import Kernel, compare_values
from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet

# Each section is a list of cells run in order in one namespace, as a learner would.
NDARRAY_CELLS = [
    "x = nd.arange(12)\nx",
    "x.shape",
    "x.size",
    "X = x.reshape((3, 4))\nX",
    "x.reshape((-1, 4)).shape",
    "x.reshape((3, -1)).shape",
    "nd.zeros((2, 3, 4))",
    "nd.ones((3, 4))",
    "Y = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])\nY",
    "import mxnet as mx\nmx.random.seed(0)\nnd.random.normal(0, 1, shape=(3, 4))",
    "X + Y",
    "X * Y",
    "X / Y",
    "Y.exp()",
    "nd.dot(X, Y.T)",
    "nd.concat(X, Y, dim=0)",
    "nd.concat(X, Y, dim=1)",
    "X == Y",
    "X < Y",
    "X > Y",
    "X.sum()",
    "X.norm().asscalar()",
    "A = nd.arange(3).reshape((3, 1))\nB = nd.arange(2).reshape((1, 2))\nA + B",
    "X[1:3]",
    "X[1, 2] = 9\nX",
    "X[1:2, :] = 12\nX",
    "before = id(Y)\nY = Y + X\nid(Y) == before",
    "Z = Y.zeros_like()\nbefore = id(Z)\nZ[:] = X + Y\nid(Z) == before",
    "nd.elemwise_add(X, Y, out=Z)\nid(Z) == before",
    "before = id(X)\nX += Y\nid(X) == before",
    "P = np.ones((2, 3))\nD = nd.array(P)\nD",
    "D.asnumpy()",
]

AUTOGRAD_CELLS = [
    "x = nd.arange(4).reshape((4, 1))\nx.attach_grad()\nwith autograd.record():\n"
    "    y = 2 * nd.dot(x.T, x)\ny",
    "y.backward()\nx.grad",
    "x.grad == 4 * x",
    "autograd.is_training()",
    "with autograd.record():\n    inside = autograd.is_training()\ninside",
    "x = nd.array([[1, 2], [3, 4]])\nx.attach_grad()\nwith autograd.record():\n"
    "    y = 2 * x\n    z = y * x\nhead = nd.array([[10, 1.], [.1, .01]])\n"
    "z.backward(head)\nx.grad",
    "def f(a):\n    b = a * 2\n    while b.norm().asscalar() < 1000:\n        b = b * 2\n"
    "    if b.sum().asscalar() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c",
    "mx.random.seed(1)\na = nd.random.normal(shape=1)\na.attach_grad()\n"
    "with autograd.record():\n    c = f(a)\nc.backward()\na.grad == c / a",
    "a = nd.random.normal(shape=(2, 3))\na.attach_grad()\nwith autograd.record():\n"
    "    c = f(a)\nc.backward()\n(a.grad * a - c).abs().max()",
]


@pytest.fixture(scope="module")
def kernel():
    """One kernel for the whole module: MXNet is imported once."""
    with Kernel() as k:
        yield k


@pytest.fixture(scope="module")
def reference_namespace() -> dict[str, Any]:
    """The same prelude as the kernel's, in the test process."""
    try:
        load_mxnet()
    except MXNetUnavailable as problem:
        pytest.skip(f"MXNet unavailable: {problem.reason}")
    namespace: dict[str, Any] = {}
    exec("import numpy as np\nfrom mxnet import nd, autograd, gluon, init", namespace)
    return namespace


def run_plain(code: str, namespace: dict[str, Any]) -> Any:
    """Run `code` with exec/eval in this process; return its last expression's value (or None)."""
    tree = ast.parse(code)
    last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<plain>", "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<plain>", "eval"), namespace)


def check_cells(kernel: Kernel, namespace: dict[str, Any], cells: list[str]) -> None:
    """Run each cell in both places and require the same repr and the same value."""
    for code in cells:
        result = kernel.run(code, want_value=True, timeout=30)
        expected = run_plain(code, namespace)
        assert result.ok, f"{code!r} failed in the kernel:\n{result.error}"
        assert result.value_repr == (None if expected is None else repr(expected)), code
        if expected is not None:
            ok, message = compare_values(result.value, expected, rtol=0, atol=0)
            assert ok, f"{code!r}: {message}"


def test_ndarray_examples_match_plain_python(kernel, reference_namespace):
    check_cells(kernel, reference_namespace, NDARRAY_CELLS)


def test_autograd_examples_match_plain_python(kernel, reference_namespace):
    check_cells(kernel, reference_namespace, AUTOGRAD_CELLS)


def test_book_values_are_what_the_book_says(kernel):
    """Spot checks against the book's own numbers, so a wrong reference cannot hide a bug."""
    assert kernel.run("nd.arange(12)").value_repr.endswith("<NDArray 12 @cpu(0)>")
    assert kernel.run("nd.concat(X, Y, dim=1).shape").value_repr == "(3, 8)"
    assert kernel.run("nd.dot(X, Y.T).shape").value_repr == "(3, 3)"
    grad = kernel.run(AUTOGRAD_CELLS[0] + "\ny.backward()\nx.grad.asnumpy().ravel().tolist()")
    assert grad.value_repr == "[0.0, 4.0, 8.0, 12.0]"
