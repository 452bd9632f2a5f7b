"""Shuffle a quiz's options per learner: stable across restarts and languages, different per quiz."""

from __future__ import annotations

import hashlib
import random
import secrets
from typing import Any

LEARNER_ID_KEY = "learner_id"


def learner_id(settings: dict[str, Any]) -> tuple[str, bool]:
    """This install's random learner id, created in `settings` when missing; True when just created."""
    current = settings.get(LEARNER_ID_KEY)
    if isinstance(current, str) and current:
        return current, False
    settings[LEARNER_ID_KEY] = secrets.token_hex(8)
    return settings[LEARNER_ID_KEY], True


def option_order(quiz_id: str, count: int, learner: str, shuffle: bool = True) -> list[int]:
    """The option indices in the order this learner sees them (the zh and en versions agree)."""
    order = list(range(count))
    if shuffle and count > 1:
        seed = hashlib.sha256(f"{learner}\0{quiz_id}".encode()).digest()
        random.Random(seed).shuffle(order)
    return order
