"""Measure this machine with MXNet: matmul FLOP/s, copy bandwidth, an add, per-operation overhead, real steps.

Honest timing: warm-up runs first; each timed sample queues enough operations to last at least
`min_sample_s` and stops the clock only after waiting for the result (MXNet runs operations
asynchronously: without the wait we would time the queueing, not the work); several samples,
median reported. A `threading.Event` cancels between operations.
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from d2l_tui.gpulab.results import (
    MIB,
    AddPoint,
    CopyPoint,
    DeviceMeasurements,
    MatmulPoint,
    Measurements,
    StepTiming,
)
from d2l_tui.gpulab.workloads import FP32_BYTES


@dataclass(frozen=True)
class Plan:
    """What to measure and how carefully."""

    matmul_sizes: tuple[int, ...]
    copy_mib: tuple[int, ...]
    """Sizes of the copied arrays; the largest gives the bandwidth (well beyond the caches)."""
    add_mib: int
    repeats: int
    min_sample_s: float
    overhead_ops: int
    """Tiny operations chained to time MXNet's fixed cost per operation."""
    train_steps: int
    """Real training steps per sample, for each implementation in `train_impls`."""
    train_impls: tuple[str, ...] = ("scratch", "gluon", "numpy")
    gpu_matmul_sizes: tuple[int, ...] = (1024, 4096)
    """A GPU needs far bigger multiplies than a CPU to reach its peak."""
    warmups: int = 1
    max_ops_per_sample: int = 10_000


QUICK_PLAN = Plan(
    (64, 256, 1024), (128,), 64, repeats=3, min_sample_s=0.02, overhead_ops=200, train_steps=10
)
"""About 2 seconds on two cores, MXNet's import included."""
FULL_PLAN = Plan(
    (32, 64, 128, 256, 512, 1024, 2048),
    (16, 64, 256),
    64,
    repeats=5,
    min_sample_s=0.05,
    overhead_ops=500,
    train_steps=30,
    gpu_matmul_sizes=(1024, 2048, 4096, 8192),
)


class Cancelled(Exception):
    """The measurement was cancelled; nothing it measured is kept."""


@dataclass(frozen=True)
class Progress:
    """How far a measurement run is: `done` of `total` samples; `label` is what is being timed now."""

    done: int
    total: int
    label: str

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressCallback = Callable[[Progress], None]


class Sampler:
    """Runs warm-ups and timed samples, counting progress and honouring the cancel event."""

    def __init__(
        self, plan: Plan, total: int, on_progress: ProgressCallback | None, cancel: threading.Event
    ) -> None:
        self.plan, self.total, self.done = plan, total, 0
        self._on_progress, self._cancel = on_progress, cancel
        self.label = ""

    def _tick(self) -> None:
        if self._cancel.is_set():
            raise Cancelled
        if self._on_progress is not None:
            self._on_progress(Progress(self.done, self.total, self.label))
        self.done += 1

    def _time(self, push: Callable[[], Any], sync: Callable[[], Any], count: int) -> float:
        sync()  # nothing queued earlier may leak into this sample
        start = time.perf_counter()
        for _ in range(count):
            if self._cancel.is_set():
                sync()
                raise Cancelled
            push()
        sync()
        return (time.perf_counter() - start) / count

    def seconds_per_op(
        self, label: str, push: Callable[[], Any], sync: Callable[[], Any], count: int | None = None
    ) -> float:
        """Median seconds per `push()`; `count` fixes the operations per sample, else it is calibrated."""
        self.label = label
        one = math.inf
        for _ in range(self.plan.warmups):
            self._tick()
            one = self._time(push, sync, count or 1)
        if count is None:
            # The warm-up may have paid one-off costs (allocation, cuBLAS start-up): probe again.
            one = self._time(push, sync, 1)
            count = int(
                min(
                    self.plan.max_ops_per_sample,
                    max(1, math.ceil(self.plan.min_sample_s / max(one, 1e-9))),
                )
            )
        samples = []
        for _ in range(self.plan.repeats):
            self._tick()
            samples.append(self._time(push, sync, count))
        return statistics.median(samples)

    @staticmethod
    def samples_per_task(plan: Plan) -> int:
        return plan.warmups + plan.repeats


def _matmul_seconds(nd: Any, ctx: Any, n: int, dtype: str, label: str, sampler: Sampler) -> float:
    a = nd.random.uniform(shape=(n, n), ctx=ctx).astype(dtype)
    b = nd.random.uniform(shape=(n, n), ctx=ctx).astype(dtype)
    c = nd.zeros((n, n), ctx=ctx, dtype=dtype)
    return sampler.seconds_per_op(label, lambda: nd.dot(a, b, out=c), c.wait_to_read)


def _copy_seconds(nd: Any, ctx: Any, mib: int, label: str, sampler: Sampler) -> float:
    source = nd.ones((mib * MIB // FP32_BYTES,), ctx=ctx)
    target = nd.zeros(source.shape, ctx=ctx)
    return sampler.seconds_per_op(label, lambda: source.copyto(target), target.wait_to_read)


def _add_seconds(nd: Any, ctx: Any, n: int, label: str, sampler: Sampler) -> float:
    x, y, z = nd.ones((n,), ctx=ctx), nd.ones((n,), ctx=ctx), nd.zeros((n,), ctx=ctx)
    return sampler.seconds_per_op(label, lambda: nd.elemwise_add(x, y, out=z), z.wait_to_read)


def _overhead_seconds(nd: Any, ctx: Any, count: int, label: str, sampler: Sampler) -> float:
    chain = [nd.ones((1,), ctx=ctx)]

    def tiny_op() -> None:
        chain[0] = chain[0] + 1  # a dependent chain: each operation waits for the one before

    return sampler.seconds_per_op(label, tiny_op, lambda: chain[0].wait_to_read(), count)


def measure_device(
    mx: Any, ctx: Any, plan: Plan, sampler: Sampler, dtypes: tuple[str, ...], sizes: tuple[int, ...]
) -> DeviceMeasurements:
    """Matmul per size and dtype, copy per size, one add and the per-operation overhead on `ctx`."""
    nd, name = mx.nd, "cpu" if ctx.device_type == "cpu" else str(ctx)
    # Each helper's arrays are freed when it returns, before the next (maybe larger) ones.
    points = [
        MatmulPoint(
            n,
            dtype,
            _matmul_seconds(nd, ctx, n, dtype, f"matmul {n}×{n} {dtype} on {name}", sampler),
        )
        for dtype in dtypes
        for n in sizes
    ]
    copies = [
        CopyPoint(mib, _copy_seconds(nd, ctx, mib, f"copy {mib} MiB on {name}", sampler))
        for mib in plan.copy_mib
    ]
    n = plan.add_mib * MIB // FP32_BYTES
    add = AddPoint(n, _add_seconds(nd, ctx, n, f"add {plan.add_mib} MiB arrays on {name}", sampler))
    label = f"{plan.overhead_ops} tiny operations on {name}"
    overhead = _overhead_seconds(nd, ctx, plan.overhead_ops, label, sampler)
    return DeviceMeasurements(name, tuple(points), tuple(copies), add, overhead)


def measure_steps(plan: Plan, sampler: Sampler) -> tuple[StepTiming, ...]:
    """Real minibatch steps of the training panel's engines, with the book's default settings."""
    from d2l_tui.training.config import MAX_EPOCHS, TrainConfig
    from d2l_tui.training.session import TrainingRun

    timings = []
    for impl in plan.train_impls:
        config = TrainConfig(impl=impl, epochs=MAX_EPOCHS)
        run = TrainingRun(config, fallback=False)
        seconds = sampler.seconds_per_op(
            f"{plan.train_steps} real training steps ({impl})",
            run.step,
            lambda: None,
            plan.train_steps,
        )
        timings.append(StepTiming(impl, config.batch_size, len(config.true_w), seconds))
    return tuple(timings)


def plan_for(quick: bool) -> Plan:
    """The quick plan (about 2 s) or the full one (about 10 s on two cores)."""
    return QUICK_PLAN if quick else FULL_PLAN


def measure(
    quick: bool = True,
    *,
    plan: Plan | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    gpus: int | None = None,
) -> Measurements:
    """Measure the CPU, every GPU MXNet can use (or the first `gpus`), and real training steps.

    Raises:
        MXNetUnavailable: MXNet cannot be loaded (the message says how to fix it).
        Cancelled: `cancel` was set; the run stops within one sample.
    """
    from d2l_tui.mxnet_env import load_mxnet

    started = time.perf_counter()
    plan = plan or plan_for(quick)
    mx = load_mxnet()
    gpu_count = int(mx.context.num_gpus()) if gpus is None else gpus
    per_task = Sampler.samples_per_task(plan)
    other_tasks = len(plan.copy_mib) + 2  # copies, the add, the tiny operations
    total = per_task * (len(plan.matmul_sizes) + other_tasks + len(plan.train_impls))
    total += per_task * gpu_count * (2 * len(plan.gpu_matmul_sizes) + other_tasks)  # fp32 and fp16
    sampler = Sampler(plan, total, on_progress, cancel or threading.Event())
    cpu = measure_device(mx, mx.cpu(), plan, sampler, ("float32",), plan.matmul_sizes)
    on_gpus = tuple(
        measure_device(mx, mx.gpu(i), plan, sampler, ("float32", "float16"), plan.gpu_matmul_sizes)
        for i in range(gpu_count)
    )
    steps = measure_steps(plan, sampler)
    if on_progress is not None:
        on_progress(Progress(total, total, "done"))
    return Measurements(cpu, on_gpus, steps, plan, time.perf_counter() - started, quick)
