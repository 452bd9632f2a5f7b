"""The shipped UCI handwritten digits (1,797 images, 8×8), split into train and test with a fixed seed."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import NamedTuple

import numpy as np

DIGITS_FILE = Path(__file__).parent / "data" / "digits.csv.gz"
"""The digits as scikit-learn ships them: 64 pixels (0..16) and the label on each line."""
PIXEL_MAX = 16.0


class Split(NamedTuple):
    """A dataset split for classification; unpacks as `train_x, train_y, test_x, test_y`."""

    train_x: np.ndarray
    """float32 images scaled to [0, 1], shaped (n, side, side) or (n, side * side)."""
    train_y: np.ndarray
    """int32 class indices, shaped (n,)."""
    test_x: np.ndarray
    test_y: np.ndarray


def read_digits(path: Path = DIGITS_FILE) -> tuple[np.ndarray, np.ndarray]:
    """All images as uint8 (n, 8, 8) pixels 0..16 and their int32 labels, in the file's order."""
    with gzip.open(path, "rt", encoding="ascii") as lines:
        table = np.loadtxt(lines, delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape[1] != 65:
        raise ValueError(f"{path}: expected 65 numbers a line, found {table.shape[1]}")
    return table[:, :64].astype(np.uint8).reshape(-1, 8, 8), table[:, 64].astype(np.int32)


def stratified_split(
    labels: np.ndarray, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a train and a test part holding each class in the same proportion.

    RandomState rather than default_rng: NumPy keeps RandomState's streams frozen across releases,
    so a seed gives the same split on every learner's machine.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    rng = np.random.RandomState(seed)
    train: list[np.ndarray] = []
    test: list[np.ndarray] = []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        cut = round(len(members) * test_fraction)
        test.append(members[:cut])
        train.append(members[cut:])
    # Shuffled once more, so a minibatch of the first rows holds every class.
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def load_digits(flat: bool = False, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """The shipped digits as float32 pixels in [0, 1] and int32 labels, split with a fixed seed.

    Args:
        flat: images as (n, 64) rows instead of (n, 8, 8).
        test_fraction: the share of each class kept for testing (0.2: 1,438 train, 359 test).
        seed: the split's seed; the same seed gives the same split everywhere.
    """
    pixels, labels = read_digits()
    images = (pixels.astype(np.float32) / np.float32(PIXEL_MAX)).reshape(
        (len(pixels), 64) if flat else pixels.shape
    )
    train, test = stratified_split(labels, test_fraction, seed)
    return Split(images[train], labels[train], images[test], labels[test])
