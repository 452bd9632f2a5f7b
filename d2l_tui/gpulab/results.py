"""What a measurement run found: matmul, copy and add timings per device, and real training steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from d2l_tui.gpulab.workloads import elementwise_add, matmul

if TYPE_CHECKING:
    from d2l_tui.gpulab.measure import Plan

MIB = 2**20


@dataclass(frozen=True)
class MatmulPoint:
    """n×n matrix multiplies of one dtype: the median seconds per multiply and the FLOP rate."""

    n: int
    dtype: str
    seconds: float

    @property
    def gflops(self) -> float:
        return matmul(self.n).flops / self.seconds / 1e9


@dataclass(frozen=True)
class CopyPoint:
    """Copying an array of `mib` MiB; a copy reads and writes every byte, so it moves 2 × the size."""

    mib: int
    seconds: float

    @property
    def gbs(self) -> float:
        return 2 * self.mib * MIB / self.seconds / 1e9


@dataclass(frozen=True)
class AddPoint:
    """c = a + b on `n` float32 elements."""

    n: int
    seconds: float

    @property
    def gflops(self) -> float:
        return self.n / self.seconds / 1e9

    @property
    def gbs(self) -> float:
        return elementwise_add(self.n).bytes / self.seconds / 1e9


@dataclass(frozen=True)
class DeviceMeasurements:
    """Everything measured on one device ("cpu" or "gpu(0)")."""

    device: str
    matmul: tuple[MatmulPoint, ...]
    copy: tuple[CopyPoint, ...]
    add: AddPoint
    op_overhead_s: float
    """Median cost of one tiny MXNet operation (queueing + running + bookkeeping)."""

    def peak_gflops(self, dtype: str = "float32") -> float:
        """The best matmul rate measured for a dtype (0 when that dtype was not measured)."""
        return max((p.gflops for p in self.matmul if p.dtype == dtype), default=0.0)

    @property
    def bandwidth_gbs(self) -> float:
        """Copy bandwidth of the largest array measured: the one least helped by the caches."""
        return max(self.copy, key=lambda p: p.mib).gbs

    def matmul_gflops(self, dtype: str = "float32") -> dict[int, float]:
        return {p.n: p.gflops for p in self.matmul if p.dtype == dtype}


@dataclass(frozen=True)
class StepTiming:
    """Median seconds per real training step of one implementation, at a batch size and feature count."""

    impl: str
    batch: int
    features: int
    seconds: float


@dataclass(frozen=True)
class Measurements:
    """A whole measurement run."""

    cpu: DeviceMeasurements
    gpus: tuple[DeviceMeasurements, ...] = ()
    steps: tuple[StepTiming, ...] = ()
    plan: Plan | None = None
    seconds: float = 0.0
    quick: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def step(self, impl: str) -> StepTiming | None:
        return next((s for s in self.steps if s.impl == impl), None)
