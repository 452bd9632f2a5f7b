"""Read Fashion-MNIST from its folder: MXNet's gluon loader (as the book does) or a NumPy IDX reader."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from d2l_tui.datasets.catalog import FASHION_MNIST, FASHION_MNIST_FILES, FileSpec
from d2l_tui.datasets.digits import Split
from d2l_tui.datasets.fetch import is_verified
from d2l_tui.datasets.idx import read_idx
from d2l_tui.datasets.words import DatasetMissing, Said, Unreadable

READERS = ("auto", "mxnet", "numpy")


def missing_files(root: Path, files: Sequence[FileSpec] = FASHION_MNIST_FILES) -> list[str]:
    """The names of the files that are not in `root`."""
    return [spec.name for spec in files if not (root / spec.name).is_file()]


def mxnet_can_read(root: Path, files: Sequence[FileSpec] = FASHION_MNIST_FILES) -> bool:
    """True when `root` holds the official files, which MXNet's loader reads without downloading.

    Given any other file (a checksum it does not know), gluon would try to download the official one.
    """
    return all(is_verified(root / spec.name, spec) for spec in files)


def load_fashion_mnist(root: Path, reader: str = "auto", flat: bool = False) -> Split:
    """Fashion-MNIST from `root` as float32 pixels in [0, 1] (n, 28, 28) and int32 labels.

    Args:
        root: the folder holding the four gz files (`catalog.dataset_root("fashion-mnist")`).
        reader: "mxnet" (the book's `gluon.data.vision.FashionMNIST(root=...)`), "numpy", or
            "auto": MXNet when it is installed and the files are the official ones, else NumPy.
        flat: images as (n, 784) rows.

    Raises:
        DatasetMissing: a file is not there.
        Unreadable: a file is not a (complete) IDX file.
    """
    if reader not in READERS:
        raise ValueError(f"reader must be one of {', '.join(READERS)}")
    missing = missing_files(root)
    if missing:
        raise DatasetMissing("missing", dataset=FASHION_MNIST)
    official = reader != "numpy" and mxnet_can_read(root)
    if reader == "mxnet" and not official:
        # Given other files, gluon would go and download the official ones: never behind one's back.
        raise Unreadable("unreadable", file=str(root), reason=Said("reason-not-official"))
    split = read_with_mxnet(root, must=reader == "mxnet") if official else None
    if split is None:
        split = read_with_numpy(root)
    if flat:
        return Split(*(part.reshape(len(part), -1) if part.ndim > 1 else part for part in split))
    return split


def read_with_mxnet(root: Path, must: bool = False, dataset: Any = None) -> Split | None:
    """The book's way, `gluon.data.vision.FashionMNIST(root=..., train=...)`, as NumPy arrays.

    Returns None when MXNet is missing or fails (unless `must`): the NumPy reader takes over.
    `dataset` replaces gluon's class (a subclass that knows other checksums, in tests).
    """
    try:
        if dataset is None:
            from d2l_tui.mxnet_env import load_mxnet

            load_mxnet()  # first: it restores the NumPy aliases MXNet 1.9.1 imports with
            from mxnet.gluon.data.vision import FashionMNIST

            dataset = FashionMNIST
        parts = []
        for train in (True, False):
            images, labels = dataset(root=str(root), train=train)[:]
            parts.append(images.asnumpy().reshape(-1, 28, 28).astype(np.float32) / np.float32(255))
            parts.append(np.asarray(labels, dtype=np.int32))
    except Exception:
        # A broken MXNet install raises more than ImportError; its own reader errors are MXNetError.
        if must:
            raise
        return None
    return Split(*parts)


def read_with_numpy(root: Path) -> Split:
    """The four files through the NumPy IDX reader."""
    parts = []
    for images_name, labels_name in (
        ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    ):
        images, labels = read_idx(root / images_name), read_idx(root / labels_name)
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise Unreadable(
                "unreadable",
                file=images_name,
                reason=Said("reason-labels", images=len(images), labels=len(labels)),
            )
        parts.append(images.astype(np.float32) / np.float32(255))
        parts.append(labels.astype(np.int32))
    return Split(*parts)
