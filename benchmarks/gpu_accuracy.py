"""Is the GPU lab's measurement right? MXNet's matmul FLOP/s beside NumPy's, same sizes, same run.

Run: python benchmarks/gpu_accuracy.py [--sizes 64 256 1024] [--rounds 5]

Both call an optimised BLAS on the CPU, so their rates should agree where the work is large
enough to hide MXNet's per-operation cost. MXNet is timed exactly as `d2l-tui gpu` times it
(`Sampler`: warm-up, samples of >= 50 ms, wait for the result); NumPy with the same sampler.
Each round times MXNet then NumPy, so machine load hits both alike; medians over the rounds.
It also checks the cost preview against a real epoch of a configuration it was not calibrated on.
Prints `matmul_ratio=X` last: MXNet's best rate / NumPy's best rate.

`--mxnet-default-threads` skips `mxnet_env.choose_threads`, to measure MXNet's own choice (half
the cores on x86: one thread on a 2-core machine, where it gave matmul_ratio=0.52). On the shared
2-core machine on 2026-12-07 (load 2.2-2.4, alternating runs) both choices gave 0.99-1.03 at
n = 256-1024, with NumPy itself near one core's rate (~100 GFLOP/s): the 0.52 did not reproduce
there, so compare both ways on an idle machine before reading a gain from this flag.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import numpy as np

from d2l_tui.gpulab.measure import FULL_PLAN, Plan, Sampler, measure
from d2l_tui.gpulab.workloads import matmul
from d2l_tui.mxnet_env import load_mxnet


def matmul_rates(sizes: list[int], rounds: int) -> list[tuple[int, float, float]]:
    """(n, MXNet GFLOP/s, NumPy GFLOP/s) for each size: medians over rounds that alternate the two."""
    mx = load_mxnet()
    plan = Plan(tuple(sizes), (), 0, repeats=1, min_sample_s=0.05, overhead_ops=0, train_steps=0)
    sampler = Sampler(plan, 10**9, None, threading.Event())
    rows = []
    for n in sizes:
        pairs = [_both_seconds(mx.nd, n, sampler) for _ in range(rounds)]
        flops = matmul(n).flops
        mx_s, np_s = (statistics.median(p[i] for p in pairs) for i in (0, 1))
        rows.append((n, flops / mx_s / 1e9, flops / np_s / 1e9))
    return rows


def _both_seconds(nd, n: int, sampler: Sampler) -> tuple[float, float]:
    """One round: seconds per n×n multiply by MXNet, then by NumPy on the same numbers (each warmed up)."""
    a, b, c = nd.random.uniform(shape=(n, n)), nd.random.uniform(shape=(n, n)), nd.zeros((n, n))
    an, bn, cn = a.asnumpy(), b.asnumpy(), np.empty((n, n), dtype=np.float32)
    mx_s = sampler.seconds_per_op("mxnet", lambda: nd.dot(a, b, out=c), c.wait_to_read)
    np_s = sampler.seconds_per_op("numpy", lambda: np.dot(an, bn, out=cn), lambda: None)
    return mx_s, np_s


def cost_check() -> tuple[float, float]:
    """(estimated, real) seconds of one epoch of a configuration the estimate was not calibrated on."""
    from d2l_tui.gpulab.cost import estimate_epoch_seconds
    from d2l_tui.training.config import TrainConfig
    from d2l_tui.training.session import TrainingRun

    config = TrainConfig(impl="scratch", examples=100_000, batch_size=500, epochs=2)
    measured = measure(True)
    estimate = estimate_epoch_seconds(config, measured)
    run = TrainingRun(config)
    run.step()  # warm-up: the first step allocates and initialises
    run.reset()
    start = time.perf_counter()
    for _ in range(run.steps_per_epoch):
        run.step()
    return estimate.seconds, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(FULL_PLAN.matmul_sizes))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mxnet-default-threads", action="store_true", help="leave OMP_NUM_THREADS to MXNet")
    args = parser.parse_args()
    if args.mxnet_default_threads:
        from d2l_tui import mxnet_env

        mxnet_env.choose_threads = lambda environ=None: False
    rows = matmul_rates(args.sizes, args.rounds)
    print(f"{'n':>6} {'MXNet GFLOP/s':>14} {'NumPy GFLOP/s':>14} {'ratio':>6}")
    for n, mx_rate, np_rate in rows:
        print(f"{n:>6} {mx_rate:>14.3g} {np_rate:>14.3g} {mx_rate / np_rate:>6.2f}")
    estimated, real = cost_check()
    print(
        f"cost preview, 100k examples, batch 500: estimated {estimated:.3g} s, real {real:.3g} s an epoch"
    )
    print(f"epoch_estimate_ratio={estimated / real:.2f}")
    best_mx, best_np = max(r[1] for r in rows), max(r[2] for r in rows)
    print(f"matmul_ratio={best_mx / best_np:.2f}")


if __name__ == "__main__":
    main()
