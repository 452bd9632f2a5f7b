"""The code-running engine for live cells: a warm MXNet kernel process, pure (no Textual)."""

from d2l_tui.kernel.client import Kernel, KernelBusy
from d2l_tui.kernel.compare import Mismatch, compare_values, find_mismatch
from d2l_tui.kernel.results import CellResult, CellStatus
from d2l_tui.kernel.values import ValueData, to_value_data

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
