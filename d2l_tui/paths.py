"""Where the shipped lessons live and where a learner's data is kept."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "D2L_TUI_DATA_DIR"
CACHE_DIR_ENV = "D2L_TUI_CACHE_DIR"


def shipped_lessons_dir() -> Path:
    """Return the folder holding the course that ships with d2l-tui."""
    installed = Path(__file__).parent / "lessons"
    if installed.is_dir():
        return installed
    # An editable install or a source checkout: the lessons sit at the repository root.
    return Path(__file__).resolve().parents[1] / "lessons"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory: the argument, else $D2L_TUI_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path  # only here: it costs ~5 ms of start-up

    return user_data_path("d2l-tui", appauthor=False)


def cache_dir() -> Path:
    """Return the cache directory (parsed lessons): $D2L_TUI_CACHE_DIR, else the platform's."""
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("d2l-tui", appauthor=False)
