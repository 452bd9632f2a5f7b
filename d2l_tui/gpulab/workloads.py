"""How much arithmetic and memory traffic the lessons' operations need: FLOPs, bytes and operation counts.

Counting rule, the same for every workload: each operation reads all its inputs from memory and
writes its output (MXNet's imperative `nd` fuses nothing), FLOPs count one multiply or one add
as one, and float32 takes 4 bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FP32_BYTES = 4


@dataclass(frozen=True)
class Workload:
    """An amount of work: floating-point operations, bytes moved, and MXNet operations issued."""

    name: str
    flops: float
    bytes: float
    ops: int = 1

    @property
    def intensity(self) -> float:
        """Arithmetic intensity: FLOPs per byte moved."""
        return self.flops / self.bytes if self.bytes else math.inf


def matmul(n: int, dtype_bytes: int = FP32_BYTES) -> Workload:
    """An n×n by n×n matrix multiply: 2n³ FLOPs; reads A and B, writes C (3n² elements)."""
    return Workload(f"matmul {n}×{n}", 2.0 * n**3, 3.0 * n * n * dtype_bytes)


def elementwise_add(n: int) -> Workload:
    """c = a + b on n float32 elements: n FLOPs; reads 2n and writes n elements."""
    return Workload(f"add {n:,} elements", float(n), 3.0 * n * FP32_BYTES)


def linreg_step_ops(batch: int, features: int) -> list[tuple[str, float, float]]:
    """The operations of one minibatch step of the book's linear regression from scratch.

    The book's step, as a learner writes it: the training panel's engine gets the same result
    with fewer calls (training/impl_scratch.py), and the cost preview measures that engine.

    Each is (what, FLOPs, elements read + written), for `features.take(j)` through `sgd` and the
    loss the training panel reads back; B is the batch size and d the number of features.
    """
    B, d = batch, features
    ops = [
        ("nd.array(indices)", 0, 2 * B),
        ("features.take(j)", 0, B * d + B + B * d),
        ("labels.take(j)", 0, 3 * B),
        ("nd.dot(X, w)", 2 * B * d, B * d + d + B),
        ("+ b", B, 2 * B + 1),
        ("y_hat - y", B, 3 * B),
        ("** 2", B, 2 * B),
        ("/ 2", B, 2 * B),
        ("backward: head gradient", 0, B),
        ("backward: / 2", B, 2 * B),
        ("backward: ** 2", 2 * B, 3 * B),
        ("backward: -", 0, 2 * B),
        ("backward: b.grad = sum", B, B + 1),
        ("backward: w.grad = Xᵀ g", 2 * B * d, B * d + B + d),
    ]
    for name, size in (("w", d), ("b", 1)):
        ops += [
            (f"sgd: {name}.grad / batch_size", size, 2 * size),
            ("sgd: lr * …", size, 2 * size),
            (f"sgd: {name} - …", size, 3 * size),
            (f"sgd: {name}[:] = …", 0, 2 * size),
        ]
    ops += [("loss.mean()", B, B + 1), ("asscalar()", 0, 2)]
    return [(name, float(flops), float(elements)) for name, flops, elements in ops]


def linreg_step(batch: int, features: int) -> Workload:
    """One minibatch SGD step of linear regression, summed over its operations."""
    ops = linreg_step_ops(batch, features)
    return Workload(
        f"linreg step (batch {batch})",
        sum(flops for _, flops, _ in ops),
        sum(elements for _, _, elements in ops) * FP32_BYTES,
        len(ops),
    )


def linreg_epoch_loss(examples: int, features: int) -> Workload:
    """The loss over the whole dataset that ends each epoch: dot, + b, -, ** 2, / 2, mean, read back."""
    N, d = examples, features
    flops = 2 * N * d + 5 * N
    elements = (N * d + d + N) + (2 * N + 1) + 3 * N + 2 * N + 2 * N + (N + 1) + 2
    return Workload(
        f"loss over {examples:,} examples", float(flops), float(elements * FP32_BYTES), 7
    )
