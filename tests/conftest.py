"""Shared fixtures: every test gets its own data folder, never the learner's real one."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from d2l_tui.course.catalog import Course
from d2l_tui.paths import shipped_lessons_dir

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the async tests `async_app`: most drive the real app with Pilot (see `.ci/run`'s legs)."""
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "function", None)):
            item.add_marker(pytest.mark.async_app)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point D2L_TUI_DATA_DIR (and the lesson cache) at fresh folders for every test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("D2L_TUI_DATA_DIR", str(folder))
    monkeypatch.setenv("D2L_TUI_CACHE_DIR", str(tmp_path / "cache"))
    return folder


@pytest.fixture
def shipped_course() -> Path:
    """The course that ships with d2l-tui."""
    return shipped_lessons_dir()


@pytest.fixture
def broken_course(tmp_path: Path) -> Path:
    """A copy of a course folder whose lessons are broken in every way we check."""
    target = tmp_path / "broken_course"
    shutil.copytree(FIXTURES / "broken_course", target)
    return target


@pytest.fixture(scope="session")
def course() -> Course:
    """The shipped course, loaded once for the tests that read its lessons (see lesson_parts.py)."""
    return Course.load(shipped_lessons_dir())
