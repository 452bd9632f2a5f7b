"""What datasets this machine has, how big and where (for `d2l-tui data list` and the app)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from d2l_tui.datasets.catalog import (
    DIGITS,
    FASHION_MNIST_FILES,
    FileSpec,
    check_name,
    dataset_names,
    dataset_root,
)
from d2l_tui.datasets.digits import DIGITS_FILE
from d2l_tui.datasets.fetch import is_verified


@dataclass(frozen=True)
class DatasetStatus:
    """One dataset's state on this machine."""

    name: str
    state: str
    """"shipped" (inside the package), "present" (every file, at its size or checksum), "damaged"
    (a whole file that is not the official one), "partial" (some files or parts) or "missing"."""
    size: int
    """Bytes on disk (part files included)."""
    path: Path
    """The file or folder it is (or would be) kept in."""
    files_present: int
    files_total: int


def dataset_status(
    name: str,
    data_dir: Path | None = None,
    verify: bool = False,
    files: Sequence[FileSpec] = FASHION_MNIST_FILES,
) -> DatasetStatus:
    """Where `name` stands: by the files' sizes (quick enough for any screen), or their checksums.

    Args:
        verify: also check each whole file's MD5 and SHA-1 (~0.2 s for Fashion-MNIST); a file
            that fails makes the state "damaged" (`d2l-tui data fetch` downloads it again).
        files: the expected files (default: the official ones).
    """
    if check_name(name) == DIGITS:
        return DatasetStatus(DIGITS, "shipped", DIGITS_FILE.stat().st_size, DIGITS_FILE, 1, 1)
    # Fashion-MNIST: the only dataset with files to download.
    root = dataset_root(name, data_dir)
    present, damaged, size = 0, 0, 0
    for spec in files:
        whole, part = root / spec.name, root / (spec.name + ".part")
        if whole.is_file():
            size += whole.stat().st_size
            sized = not spec.size or whole.stat().st_size == spec.size
            good = sized and (not verify or is_verified(whole, spec))
            present += good
            damaged += not good
        if part.is_file():
            size += part.stat().st_size
    state = (
        "present"
        if present == len(files)
        else "damaged"
        if damaged
        else "partial"
        if size
        else "missing"
    )
    return DatasetStatus(name, state, size, root, present, len(files))


def all_status(
    data_dir: Path | None = None,
    verify: bool = False,
    files: Sequence[FileSpec] = FASHION_MNIST_FILES,
) -> list[DatasetStatus]:
    """Every known dataset's status, the shipped one first."""
    return [dataset_status(name, data_dir, verify, files) for name in dataset_names()]
