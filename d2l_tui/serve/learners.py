"""Learner ids and their data folders under the server's data folder (`<data>/learners/<id>/`)."""

from __future__ import annotations

import re
from pathlib import Path

LEARNER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}")
"""Letters, digits and '-', at most 40: safe as a folder name and in a cookie, on every system."""


def valid_learner(text: str | None) -> str | None:
    """`text` as a learner id, or None when it is not one (empty, too long, other characters)."""
    if text is None:
        return None
    text = text.strip()
    return text if LEARNER_ID.fullmatch(text) else None


def learners_root(data: Path) -> Path:
    """The folder that holds one data folder per learner."""
    return data / "learners"


def learner_dir(data: Path, learner: str) -> Path:
    """The data folder of `learner` (which must be valid: it becomes a path)."""
    if valid_learner(learner) != learner:
        raise ValueError(f"not a learner id: {learner!r}")
    return learners_root(data) / learner


def known_learners(data: Path) -> list[str]:
    """The learners who have a data folder here, sorted."""
    root = learners_root(data)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and valid_learner(p.name) == p.name)
