"""Load a dataset by name for a lesson or a panel, falling back to the shipped digits with one line why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from d2l_tui.datasets.catalog import DIGITS, FASHION_MNIST, check_name, dataset_root
from d2l_tui.datasets.digits import Split, load_digits
from d2l_tui.datasets.fashion import load_fashion_mnist
from d2l_tui.datasets.words import DataError, Said


@dataclass(frozen=True)
class Loaded:
    """A dataset ready to train on, and which one it really is."""

    name: str
    """The dataset the arrays come from (digits after a fallback)."""
    split: Split
    fallback: Said | None = None
    """Why the asked-for dataset was replaced by digits; `fallback.words(lang)` is one line."""


def load_dataset(name: str, data_dir: Path | None = None, flat: bool = False) -> Loaded:
    """`name`'s arrays; digits instead (with the reason) when Fashion-MNIST is absent or unreadable.

    Args:
        name: "digits" or "fashion-mnist".
        data_dir: the app's data folder (None: $D2L_TUI_DATA_DIR or the user data folder).
        flat: images as rows (n, side * side) instead of (n, side, side).
    """
    if check_name(name) == FASHION_MNIST:
        try:
            return Loaded(
                FASHION_MNIST, load_fashion_mnist(dataset_root(FASHION_MNIST, data_dir), flat=flat)
            )
        except DataError as error:
            reason = Said(error.key, error.params)
            return Loaded(DIGITS, load_digits(flat=flat), Said("fallback", {"reason": reason}))
    return Loaded(DIGITS, load_digits(flat=flat))
