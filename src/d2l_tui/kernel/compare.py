"""Compare a learner's value with the expected one and say in words what differs."""

from __future__ import annotations

from typing import Any

import numpy as np

from d2l_tui.kernel.values import ValueData, to_value_data


def _describe(data: ValueData) -> str:
    if data.shape is None or data.shape == ():
        return f"{data.type_name} {data.text}"
    dtype = f", dtype {data.dtype}" if data.dtype else ""
    return f"{data.type_name} of shape {data.shape}{dtype}"


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _compare_arrays(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> str | None:
    """Return None when the arrays agree within tolerance, else a sentence saying where not."""
    # Booleans cannot be subtracted; compare them as 0/1.
    got = got.astype(np.int8) if got.dtype.kind == "b" else got
    want = want.astype(np.int8) if want.dtype.kind == "b" else want
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    with np.errstate(invalid="ignore"):
        diff = np.where(close, 0, np.abs(got.astype(complex) - want.astype(complex)))
    diff = np.nan_to_num(diff.real, nan=np.inf)
    worst = np.unravel_index(int(np.argmax(diff)), got.shape) if got.shape else ()
    where = f" at {_fmt_index(worst)}" if got.shape else ""
    count = f"{int((~close).sum())} of {close.size} values differ" if got.shape else "value differs"
    return (
        f"{count}: got {got[worst]}{where}, expected {want[worst]} "
        f"(tolerance rtol={rtol:g}, atol={atol:g})"
    )


def compare_values(
    actual: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = True
) -> tuple[bool, str]:
    """Compare `actual` with `expected` (values, `ValueData`, NDArrays) and explain any mismatch.

    Shapes must match exactly; dtypes must match when both sides have one (NDArray/NumPy) and
    `check_dtype` is set; numbers must agree within `rtol`/`atol` (NaN equals NaN).
    Returns `(ok, message)`; the message is one English sentence either way.
    """
    got, want = to_value_data(actual), to_value_data(expected)
    if want.is_numeric != got.is_numeric:
        return False, f"expected {_describe(want)}, got {_describe(got)}"
    if not want.is_numeric:
        if got.type_name == want.type_name and got.text == want.text:
            return True, "values match"
        return False, f"got {got.text}, expected {want.text}"
    if got.shape != want.shape:
        return False, f"shape {got.shape} does not match the expected shape {want.shape}"
    if check_dtype and got.dtype and want.dtype and got.dtype != want.dtype:
        return False, f"dtype {got.dtype} does not match the expected dtype {want.dtype}"
    if got.value is None or want.value is None:
        return False, "the value was too large to compare"
    mismatch = _compare_arrays(np.asarray(got.value), np.asarray(want.value), rtol, atol)
    if mismatch:
        return False, mismatch
    return True, f"values match (shape {got.shape}{', ' + got.dtype if got.dtype else ''})"
