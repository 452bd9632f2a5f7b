"""The review list agrees everywhere: `d2l-tui review` = the R screen, `--due` = the map's count, in proper English."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

from test_quiz_app import settle, shown
from test_review import FIXTURES, TODAY, TOMORROW, WRONG, answered
from textual.widgets import Static

from d2l_tui.progress import ProgressStore
from d2l_tui.review import command
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.review import ReviewScreen

COURSE = FIXTURES / "snapshot_quiz_course"


def seeded(data_dir: Path) -> None:
    """snap-choice due tomorrow, snap-multi missed but not due, and a due quiz of no lesson of this course."""
    store = ProgressStore.open(data_dir)
    store.quizzes["snap-choice"] = answered(None, WRONG, TODAY)
    store.quizzes["ghost-quiz"] = answered(None, WRONG, TODAY)
    store.quizzes["snap-multi"] = {"attempts": 1, "outcome": "wrong", "missed": True}
    store.save()


def run(data_dir: Path, capsys, due: bool, fmt: str = "json", lang: str = "en") -> str:
    args = argparse.Namespace(due=due, format=fmt, data_dir=data_dir, lessons=COURSE, lang=lang)
    assert command.run(args, now=TOMORROW) == 0
    return capsys.readouterr().out


def test_review_alone_lists_due_then_missed_and_due_only_the_due(tmp_path: Path, capsys) -> None:
    seeded(tmp_path)
    rows = json.loads(run(tmp_path, capsys, due=False))
    assert [(r["quiz"], r["due"] is not None) for r in rows] == [("snap-choice", True), ("snap-multi", False)]
    assert [r["quiz"] for r in json.loads(run(tmp_path, capsys, due=True))] == ["snap-choice"]  # no ghost
    text = run(tmp_path, capsys, due=False, fmt="text")
    assert text.startswith("2 questions to review, 1 due today") and "snap-multi" in text and "ghost" not in text
    assert run(tmp_path, capsys, due=True, fmt="text").startswith("Due today: 1 question (open")
    assert run(tmp_path, capsys, due=False, fmt="text", lang="zh").startswith("共 2 道题要复习，其中 1 道今天到期")


def test_nothing_to_review_says_so(tmp_path: Path, capsys) -> None:
    assert run(tmp_path, capsys, due=False, fmt="text").startswith("Nothing to review")
    assert run(tmp_path, capsys, due=True, fmt="text").startswith("Nothing is due")


async def test_the_map_counts_only_this_course_s_due_quizzes(isolated_data_dir: Path) -> None:
    seeded(isolated_data_dir)
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en")
    app.clock.fixed = TODAY + timedelta(days=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert "Due today: 1 question to review (R)" in shown(app.screen.query_one("#status-line", Static))
        await pilot.press("R")
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen) and len(app.screen.cards) == 2
        assert "2 questions to review, 1 due today" in shown(app.screen.query_one(".review-intro", Static))
