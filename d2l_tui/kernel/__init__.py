"""The code-running engine for live cells: a warm MXNet kernel process, pure (no Textual)."""

from typing import TYPE_CHECKING, Any

from d2l_tui.kernel.client import Kernel, KernelBusy
from d2l_tui.kernel.results import CellResult, CellStatus
from d2l_tui.kernel.values import ValueData, to_value_data

if TYPE_CHECKING:
    from d2l_tui.kernel.compare import Mismatch, compare_values, find_mismatch

_FROM_COMPARE = ("Mismatch", "compare_values", "find_mismatch")

__all__ = [
    "CellResult",
    "CellStatus",
    "Kernel",
    "KernelBusy",
    "Mismatch",
    "ValueData",
    "compare_values",
    "find_mismatch",
    "to_value_data",
]


def __getattr__(name: str) -> Any:
    """The comparison helpers, imported on first use: they need NumPy, and the kernel child
    (which imports this package) must start and say what is missing in a Python without it."""
    if name in _FROM_COMPARE:
        from d2l_tui.kernel import compare

        return getattr(compare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
