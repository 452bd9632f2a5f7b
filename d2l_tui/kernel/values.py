"""A cell's value as plain data (NumPy array or Python scalar) that can cross the process pipe."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
# NumPy is imported where it is used: the kernel child must start (and say what is missing)
# in a Python without NumPy.

# Arrays bigger than this travel as shape and dtype only; no quiz needs 64 MiB of numbers.
MAX_VALUE_BYTES = 64 << 20
_TEXT_LIMIT = 2_000
_NUMERIC_KINDS = "biufc"


@dataclass(frozen=True)
class ValueData:
    """The value of a cell's last expression, for grading rather than display."""

    value: Any
    """A NumPy array for arrays (NDArray, ndarray, numeric lists), a Python or NumPy scalar for
    scalars, a str or None as such; None for other objects (see `text`)."""
    shape: tuple[int, ...] | None
    """The shape for anything numeric (`()` for scalars); None otherwise."""
    dtype: str | None
    """The dtype name for NDArrays and NumPy arrays/scalars; None for Python values."""
    type_name: str
    """The value's type as the learner knows it: 'NDArray', 'ndarray', 'float', 'list', ..."""
    text: str
    """repr() of the value, shortened; what messages quote."""

    @property
    def is_numeric(self) -> bool:
        """True when `value` can be compared numerically."""
        return self.shape is not None


def _short_repr(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception as error:  # noqa: BLE001 - a broken __repr__ must not break grading
        text = f"<{type(obj).__name__} (repr failed: {error})>"
    return text if len(text) <= _TEXT_LIMIT else text[:_TEXT_LIMIT] + "..."


def _as_numeric_array(obj: Any) -> np.ndarray | None:
    """Return `obj` as a numeric NumPy array, or None when it is not numeric."""
    import numpy as np

    if callable(getattr(obj, "asnumpy", None)):  # MXNet NDArray, without importing MXNet here
        return np.asarray(obj.asnumpy())
    if isinstance(obj, (str, bytes, type(None))):
        return None
    try:
        array = np.asarray(obj)
    except Exception:  # noqa: BLE001 - ragged lists and odd objects are simply not numeric
        return None
    return array if array.dtype.kind in _NUMERIC_KINDS else None


def to_value_data(obj: Any) -> ValueData:
    """Describe any Python object as a `ValueData`."""
    import numpy as np

    if isinstance(obj, ValueData):
        return obj
    type_name, text = type(obj).__name__, _short_repr(obj)
    array = _as_numeric_array(obj)
    if array is None:
        plain = obj if isinstance(obj, (str, type(None))) else None
        return ValueData(plain, None, None, type_name, text)
    is_array_type = isinstance(obj, (np.ndarray, np.generic)) or hasattr(obj, "asnumpy")
    dtype = array.dtype.name if is_array_type else None
    if isinstance(obj, (bool, int, float, complex, np.generic)):
        value: Any = obj
    else:
        value = array
    return ValueData(value, tuple(array.shape), dtype, type_name, text)


def value_to_wire(data: ValueData) -> dict[str, Any]:
    """Encode a `ValueData` as JSON-safe data."""
    import numpy as np

    wire: dict[str, Any] = {
        "shape": list(data.shape) if data.shape is not None else None,
        "dtype": data.dtype,
        "type_name": data.type_name,
        "text": data.text,
    }
    if not data.is_numeric:
        wire["plain"] = data.value
        return wire
    array = np.ascontiguousarray(np.asarray(data.value))
    wire["scalar"] = not isinstance(data.value, np.ndarray)
    wire["array_dtype"] = array.dtype.str
    if array.nbytes <= MAX_VALUE_BYTES:
        wire["data"] = base64.b64encode(array.tobytes()).decode("ascii")
    return wire


def value_from_wire(wire: dict[str, Any]) -> ValueData:
    """Decode what `value_to_wire` produced."""
    import numpy as np

    shape = tuple(wire["shape"]) if wire["shape"] is not None else None
    if shape is None:
        value: Any = wire.get("plain")
    elif "data" not in wire:
        value = None  # too large to send; shape and dtype are still right
    else:
        raw = base64.b64decode(wire["data"])
        array = np.frombuffer(raw, dtype=np.dtype(wire["array_dtype"])).reshape(shape).copy()
        value = array
        if wire["scalar"]:
            # NumPy scalars stay NumPy scalars; Python scalars become Python scalars again.
            value = array[()] if wire["dtype"] is not None else array.item()
    return ValueData(value, shape, wire["dtype"], wire["type_name"], wire["text"])
