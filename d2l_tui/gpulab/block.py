"""The `device` block's settings: which sections it shows and whether it runs the quick measurement."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

SHOW_ITEMS = ("detect", "matmul", "bandwidth", "roofline", "compare", "cost")
"""The sections a device panel can show, in the order it shows them."""

KeyPath = tuple[str, ...]


def validate_device(data: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """Problems in a `device` block's body: `show` must list known sections, at least one."""
    show = data.get("show")
    if show is None:
        return []
    if not show:
        return [(("show",), f"show must list at least one of: {', '.join(SHOW_ITEMS)}")]
    findings: list[tuple[tuple[str, ...], str]] = []
    for item in show:
        if str(item) not in SHOW_ITEMS or not isinstance(item, str):
            close = difflib.get_close_matches(str(item), SHOW_ITEMS, n=1)
            hint = (
                f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(SHOW_ITEMS)})"
            )
            findings.append((("show",), f"unknown item '{item}' in show{hint}"))
    return findings


def shown_sections(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The sections a block shows, in display order (every one when `show` is absent or invalid)."""
    show = data.get("show")
    if not show or validate_device(data):
        return SHOW_ITEMS
    return tuple(item for item in SHOW_ITEMS if item in show)
