"""Seconds per epoch of a training configuration on this machine, predicted from what was measured."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from d2l_tui.gpulab.results import Measurements
from d2l_tui.gpulab.workloads import Workload, linreg_epoch_loss, linreg_step
from d2l_tui.training.config import TrainConfig

ASSUMPTIONS = (
    (
        "Work per step: the MXNet operations of the book's from-scratch step (take, dot, + b, the "
        "loss, backward, sgd, reading the loss back), each reading its inputs from memory and "
        "writing its output, in float32. (The panel's engine does the same arithmetic in fewer "
        "calls; the fixed cost below is measured on that engine.)"
    ),
    (
        "That work takes the longer of FLOPs ÷ measured peak and bytes ÷ measured copy bandwidth "
        "(the roofline)."
    ),
    (
        "On top comes a fixed cost per step, measured by timing real steps of the training panel's "
        "engine with the book's settings: Python, MXNet's cost per operation and the wait for each "
        "step's loss."
    ),
    "Each epoch ends with the loss over all examples (7 more operations).",
    (
        "Training panels run on the CPU; making the data, drawing charts and MXNet's first import "
        "are not counted."
    ),
)


@dataclass(frozen=True)
class EpochEstimate:
    """The predicted time of one epoch, split into arithmetic, memory traffic and fixed cost."""

    config: TrainConfig
    steps: int
    step: Workload
    epoch_end: Workload
    compute_s: float
    memory_s: float
    overhead_s: float
    fixed_step_s: float
    """The fixed cost per step used (measured for this `impl`, else estimated from the cost per operation)."""
    fixed_measured: bool

    @property
    def seconds(self) -> float:
        """Fixed cost plus the slower of arithmetic and memory traffic."""
        return self.overhead_s + max(self.compute_s, self.memory_s)

    @property
    def total_seconds(self) -> float:
        """All epochs of the configuration."""
        return self.seconds * self.config.epochs

    @property
    def binds(self) -> str:
        """ "overhead", "compute" or "bandwidth": the largest of the three terms."""
        terms = {"overhead": self.overhead_s, "compute": self.compute_s, "bandwidth": self.memory_s}
        return max(terms, key=terms.__getitem__)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        c = self.config
        return {
            "impl": c.impl,
            "batch_size": c.batch_size,
            "examples": c.examples,
            "features": len(c.true_w),
            "epochs": c.epochs,
            "steps_per_epoch": self.steps,
            "ops_per_step": self.step.ops,
            "flops_per_step": self.step.flops,
            "bytes_per_step": self.step.bytes,
            "compute_s": self.compute_s,
            "memory_s": self.memory_s,
            "overhead_s": self.overhead_s,
            "fixed_step_s": self.fixed_step_s,
            "fixed_step_measured": self.fixed_measured,
            "epoch_seconds": self.seconds,
            "total_seconds": self.total_seconds,
            "binds": self.binds,
            "assumptions": list(ASSUMPTIONS),
        }


def as_config(config: TrainConfig | Mapping[str, Any]) -> TrainConfig:
    """A TrainConfig from a config or a train panel's settings (bad values keep the book's defaults)."""
    if isinstance(config, TrainConfig):
        return config
    return TrainConfig.from_mapping(dict(config))[0]


def estimate_epoch_seconds(
    config: TrainConfig | Mapping[str, Any], measurements: Measurements
) -> EpochEstimate:
    """Predict one epoch's seconds for `config` from this machine's measured CPU figures."""
    config = as_config(config)
    cpu, features = measurements.cpu, len(config.true_w)
    peak, bandwidth = cpu.peak_gflops() * 1e9, cpu.bandwidth_gbs * 1e9
    steps = math.ceil(config.examples / config.batch_size)
    step, end = (
        linreg_step(config.batch_size, features),
        linreg_epoch_loss(config.examples, features),
    )
    timed = measurements.step(config.impl)
    if timed is not None:
        # The measured step included its own (tiny) work; what is left is the fixed cost.
        own = linreg_step(timed.batch, timed.features)
        fixed = max(0.0, timed.seconds - max(own.flops / peak, own.bytes / bandwidth))
    else:
        fixed = step.ops * cpu.op_overhead_s
    return EpochEstimate(
        config,
        steps,
        step,
        end,
        compute_s=(steps * step.flops + end.flops) / peak,
        memory_s=(steps * step.bytes + end.bytes) / bandwidth,
        overhead_s=steps * fixed + end.ops * cpu.op_overhead_s,
        fixed_step_s=fixed,
        fixed_measured=timed is not None,
    )
