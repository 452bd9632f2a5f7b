"""What datasets this machine has, how big and where (for `d2l-tui data list` and the app)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from d2l_tui.datasets.catalog import (
    DIGITS,
    FASHION_MNIST_FILES,
    check_name,
    dataset_names,
    dataset_root,
)
from d2l_tui.datasets.digits import DIGITS_FILE


@dataclass(frozen=True)
class DatasetStatus:
    """One dataset's state on this machine."""

    name: str
    state: str
    """"shipped" (inside the package), "present" (every file, at its size), "partial" or "missing"."""
    size: int
    """Bytes on disk (part files included)."""
    path: Path
    """The file or folder it is (or would be) kept in."""
    files_present: int
    files_total: int


def dataset_status(name: str, data_dir: Path | None = None) -> DatasetStatus:
    """Where `name` stands; a size check only (no checksums), so it is quick enough for any screen."""
    if check_name(name) == DIGITS:
        return DatasetStatus(DIGITS, "shipped", DIGITS_FILE.stat().st_size, DIGITS_FILE, 1, 1)
    # Fashion-MNIST: the only dataset with files to download.
    root = dataset_root(name, data_dir)
    present, size = 0, 0
    for spec in FASHION_MNIST_FILES:
        whole, part = root / spec.name, root / (spec.name + ".part")
        if whole.is_file():
            size += whole.stat().st_size
            present += not spec.size or whole.stat().st_size == spec.size
        if part.is_file():
            size += part.stat().st_size
    total = len(FASHION_MNIST_FILES)
    state = "present" if present == total else "partial" if size else "missing"
    return DatasetStatus(name, state, size, root, present, total)


def all_status(data_dir: Path | None = None) -> list[DatasetStatus]:
    """Every known dataset's status, the shipped one first."""
    return [dataset_status(name, data_dir) for name in dataset_names()]
