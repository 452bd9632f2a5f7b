"""Compare a learner's value with the expected one and say in words what differs."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Mismatch:
    """How a value differs from the expected one, as data: callers word it in their language.

    kind is "kind" (a number against something else: `got`/`want` describe both sides), "text"
    (two non-numeric values: their reprs), "shape", "dtype", "too-large" (no value kept to
    compare), or "values" (numbers out of tolerance: `count` of `size` differ, the worst at
    `index`, with `got`/`want` the values there).
    """

    kind: str
    got: str = ""
    want: str = ""
    count: int = 0
    size: int = 0
    index: str = ""
    rtol: float = 0.0
    atol: float = 0.0

    def english(self) -> str:
        """One English sentence."""
        if self.kind == "kind":
            return f"expected {self.want}, got {self.got}"
        if self.kind == "text":
            return f"got {self.got}, expected {self.want}"
        if self.kind in ("shape", "dtype"):
            return f"{self.kind} {self.got} does not match the expected {self.kind} {self.want}"
        if self.kind == "too-large":
            return "the value was too large to compare"
        tolerance = f"(tolerance rtol={self.rtol:g}, atol={self.atol:g})"
        if self.index:
            return f"{self.count} of {self.size} values differ: got {self.got} at {self.index}, expected {self.want} {tolerance}"
        return f"value differs: got {self.got}, expected {self.want} {tolerance}"


def _compare_arrays(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> Mismatch | None:
    """Return None when the arrays agree within tolerance, else where they do not."""
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
    return Mismatch(
        "values",
        got=str(got[worst]),
        want=str(want[worst]),
        count=int((~close).sum()),
        size=int(close.size),
        index=_fmt_index(tuple(int(i) for i in worst)) if got.shape else "",
        rtol=rtol,
        atol=atol,
    )


def find_mismatch(
    actual: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = True
) -> Mismatch | None:
    """How `actual` differs from `expected` (values, `ValueData`, NDArrays), or None when it agrees.

    Shapes must match exactly; dtypes must match when both sides have one (NDArray/NumPy) and
    `check_dtype` is set; numbers must agree within `rtol`/`atol` (NaN equals NaN).
    """
    got, want = to_value_data(actual), to_value_data(expected)
    if not (got.is_numeric and want.is_numeric):
        return _non_numeric_mismatch(got, want)
    form = _form_mismatch(got, want, check_dtype)
    if form is not None:
        return form
    return _compare_arrays(np.asarray(got.value), np.asarray(want.value), rtol, atol)


def _non_numeric_mismatch(got: ValueData, want: ValueData) -> Mismatch | None:
    """Where a side is not numeric: a number against something else, or two differing texts."""
    if want.is_numeric != got.is_numeric:
        return Mismatch("kind", got=_describe(got), want=_describe(want))
    if got.type_name == want.type_name and got.text == want.text:
        return None
    return Mismatch("text", got=got.text, want=want.text)


def _form_mismatch(got: ValueData, want: ValueData, check_dtype: bool) -> Mismatch | None:
    """Numbers of another shape or dtype, or too large to have crossed the pipe."""
    if got.shape != want.shape:
        return Mismatch("shape", got=str(got.shape), want=str(want.shape))
    if check_dtype and got.dtype and want.dtype and got.dtype != want.dtype:
        return Mismatch("dtype", got=str(got.dtype), want=str(want.dtype))
    if got.value is None or want.value is None:
        return Mismatch("too-large")
    return None


def compare_values(
    actual: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = True
) -> tuple[bool, str]:
    """Compare `actual` with `expected` and explain any mismatch in one English sentence.

    Returns `(ok, message)`; see `find_mismatch` for the rules.
    """
    got = to_value_data(actual)  # once: converting an NDArray copies it out of MXNet
    mismatch = find_mismatch(got, expected, rtol, atol, check_dtype)
    if mismatch is not None:
        return False, mismatch.english()
    if not got.is_numeric:
        return True, "values match"
    return True, f"values match (shape {got.shape}{', ' + got.dtype if got.dtype else ''})"
