"""What lives as long as the app, owned by it: kernels, panel run histories, device measurements.

One object instead of module-level per-app dictionaries: a widget reaches it with
`reach.session(self)`, and tests see one app's state without another's leaking in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from d2l_tui.ui.kernels import KernelPool

if TYPE_CHECKING:
    from d2l_tui.gpulab.detect import Detection
    from d2l_tui.gpulab.results import Measurements
    from d2l_tui.gpulab.saved import SavedMeasurements
    from d2l_tui.graphs.stepper import Stepper
    from d2l_tui.surfaces.model import SurfaceState
    from d2l_tui.training.history import RunHistory
    from d2l_tui.training.saved import SavedRuns
    from d2l_tui.trust import TrustStore
    from d2l_tui.workbook import Workbook


@dataclass
class SessionState:
    """The app's long-lived state, shared by every screen and widget."""

    kernels: KernelPool = field(default_factory=KernelPool)
    """The code cells' kernel processes, one per lesson; all closed when the app ends."""
    histories: dict[tuple[str, str], RunHistory] = field(default_factory=dict)
    """Training panels' run histories, by (lesson id, panel id)."""
    detected: Detection | None = None
    """What the device panel found on this machine, once detected."""
    measured: dict[tuple[str, str], tuple[float, Measurements]] = field(default_factory=dict)
    """Device measurements by (lesson id, panel id): when (monotonic) and what."""
    workbook: Workbook | None = None
    """The code cells' saved code and outputs, opened on first use (see `ui/kernel_runner.py`)."""
    trust: TrustStore | None = None
    """Which course folders' code may run, opened on first use (see `ui/kernel_runner.py`)."""
    notes_said: set[str] = field(default_factory=set)
    """One-time notes already said in this session (a disk that cannot be written, ...)."""
    saved_runs: SavedRuns | None = None
    """The training panels' runs kept in the data folder, opened when a panel first mounts."""
    saved_measurements: SavedMeasurements | None = None
    """The device panels' last measurements kept in the data folder, opened when a panel first mounts."""
    surfaces: dict[tuple[str, str], SurfaceState] = field(default_factory=dict)
    """Surface panels' start, learning rate and path by (lesson id, panel id), while the app runs."""
    graphs: dict[tuple[str, str], Stepper] = field(default_factory=dict)
    """Graph panels' step, numbers and predictions by (lesson id, panel id), while the app runs."""

    def runs_file(self, data_dir: Path) -> SavedRuns:
        """The saved training runs (opened on first use: a lesson without a panel never reads it)."""
        if self.saved_runs is None:
            from d2l_tui.training.saved import SavedRuns

            self.saved_runs = SavedRuns(data_dir)
        return self.saved_runs

    def measurements_file(self, data_dir: Path) -> SavedMeasurements:
        """The saved device measurements (opened on first use)."""
        if self.saved_measurements is None:
            from d2l_tui.gpulab.saved import SavedMeasurements

            self.saved_measurements = SavedMeasurements(data_dir)
        return self.saved_measurements

    def latest_measurements(self) -> Measurements | None:
        """The newest measurements any device panel made (for a cost preview elsewhere)."""
        runs = self.measured.values()
        return max(runs, key=lambda run: run[0])[1] if runs else None
