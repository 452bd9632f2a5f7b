"""Pure parts of the kernel, in-process: value data, comparison messages, bounded output, cells."""

from __future__ import annotations

import numpy as np
import pytest

from d2l_tui.kernel import compare_values, to_value_data
from d2l_tui.kernel.capture import BoundedOutput
from d2l_tui.kernel.execute import cell_filename, run_cell
from d2l_tui.kernel.protocol import encode_message, read_message
from d2l_tui.kernel.values import value_from_wire, value_to_wire


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6, dtype=np.int32).reshape(2, 3),
        np.float32(1.5),
        2.5,
        7,
        True,
        [1.0, 2.0],
        "text",
        None,
        np.array([1 + 2j]),
    ],
    ids=repr,
)
def test_values_survive_the_pipe(value):
    data = to_value_data(value)
    back = value_from_wire(value_to_wire(data))
    assert (back.shape, back.dtype, back.type_name, back.text) == (
        data.shape, data.dtype, data.type_name, data.text)
    assert type(back.value) is type(data.value)
    assert compare_values(back, value, rtol=0, atol=0)[0]


def test_messages_are_framed_json():
    import io

    stream = io.BytesIO(encode_message({"a": [1, "中"]}) + encode_message({"b": "\ud800"}))
    assert read_message(stream) == {"a": [1, "中"]}
    assert read_message(stream) == {"b": "\ud800"}  # a lone surrogate must not break the channel
    assert read_message(stream) is None


def test_shape_mismatch_is_explained():
    ok, message = compare_values(np.zeros((3, 4)), np.zeros((4, 3)))
    assert not ok and message == "shape (3, 4) does not match the expected shape (4, 3)"


def test_dtype_mismatch_is_explained_and_can_be_ignored():
    got, want = np.arange(3, dtype=np.int64), np.arange(3, dtype=np.float32)
    ok, message = compare_values(got, want)
    assert not ok and message == "dtype int64 does not match the expected dtype float32"
    assert compare_values(got, want, check_dtype=False)[0]


def test_tolerance_and_the_worst_difference():
    want = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert compare_values(want + 1e-7, want, rtol=0, atol=1e-6)[0]
    ok, message = compare_values(want + [[0, 0], [0.01, 0.5]], want, rtol=0, atol=1e-3)
    assert not ok
    assert message.startswith("2 of 4 values differ: got 4.5 at [1, 1], expected 4.0")
    assert "atol=0.001" in message


def test_scalars_nan_bools_and_kinds():
    assert compare_values(0.1 + 0.2, 0.3)[0]
    assert not compare_values(1.0, 1.1)[0]
    assert compare_values(float("nan"), float("nan"))[0]
    assert compare_values(np.array([True, False]), np.array([True, False]))[0]
    ok, message = compare_values(np.array([True, True]), np.array([True, False]))
    assert not ok and "1 of 2 values differ" in message
    ok, message = compare_values("abc", np.zeros(2))
    assert not ok and message == "expected ndarray of shape (2,), dtype float64, got str 'abc'"
    assert compare_values("abc", "abc") == (True, "values match")
    assert not compare_values("abc", "abd")[0]


def test_bounded_output_keeps_the_start_and_counts_the_rest():
    out = BoundedOutput(max_chars=10, max_lines=100)
    out.write("0123456789ABC\nDEF")
    note = "[output truncated: 1 more line (7 characters) not shown]\n"
    assert out.getvalue() == "0123456789\n" + note
    lines = BoundedOutput(max_chars=1_000, max_lines=2)
    for word in ("a\n", "b\nc\n", "d"):
        lines.write(word)
    assert "".join(lines.pieces) == "a\nb\n" and lines.dropped_lines == 1
    assert lines.dropped_chars == 3


def test_run_cell_splits_statements_and_last_expression():
    namespace: dict = {}
    outcome = run_cell("a = 2\na * 21", namespace, cell_filename(1), want_value=True)
    assert outcome.status == "ok" and outcome.value_repr == "42" and namespace["_"] == 42
    assert value_from_wire(outcome.value).value == 42
    outcome = run_cell("raise SystemExit(3)", namespace, cell_filename(2))
    assert outcome.status == "error" and outcome.error.splitlines()[-1] == "SystemExit: 3"


def test_exit_codes_are_described_in_words():
    from d2l_tui.kernel.results import describe_exit

    assert describe_exit(1) == "exit code 1"
    assert "memory" in describe_exit(-9) and "SIGKILL" in describe_exit(-9)
    assert "segmentation fault" in describe_exit(-11)


def test_importing_the_engine_loads_neither_mxnet_nor_textual():
    import subprocess
    import sys

    code = "import sys, d2l_tui.kernel; print(sorted({'mxnet', 'textual'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
