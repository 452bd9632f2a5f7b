"""Spaced review's core: FSRS grades from answers, due dates moved by an injected clock, the file, the CLI."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fsrs import Rating

from d2l_tui.course.catalog import Course
from d2l_tui.progress import ProgressStore
from d2l_tui.quiz.grading import Grade
from d2l_tui.quiz.records import QuizRecord, after_answer, after_reveal
from d2l_tui.review import command
from d2l_tui.review.order import review_order
from d2l_tui.review.schedule import CARD_FIELD, due_ids, due_time, rating_for, scheduled_record

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
TOMORROW = TODAY + timedelta(days=1)
WRONG, RIGHT = Grade("wrong", True), Grade("right", True)


def answered(stored: dict | None, grade: Grade, now: datetime, hinted: bool = False) -> dict:
    """The stored record after one graded answer at `now`."""
    record = after_answer(QuizRecord.from_json(stored), 1, grade)
    return scheduled_record(stored, record, hinted, now)


def test_wrong_today_is_due_tomorrow_not_today() -> None:
    stored = answered(None, WRONG, TODAY)
    assert due_ids({"q": stored}, TODAY) == []
    assert due_ids({"q": stored}, TOMORROW) == ["q"]
    assert stored["missed"] is True and stored[CARD_FIELD]["rating"] == int(Rating.Again)


def test_grades_space_the_next_review_apart() -> None:
    revealed = scheduled_record(None, after_reveal(QuizRecord()), False, TODAY)
    wrong = answered(None, WRONG, TODAY)
    hinted = answered(None, RIGHT, TODAY, hinted=True)
    first_try = answered(None, RIGHT, TODAY)
    ratings = [r[CARD_FIELD]["rating"] for r in (revealed, wrong, hinted, first_try)]
    assert ratings == [int(Rating.Again), int(Rating.Again), int(Rating.Hard), int(Rating.Good)]
    dues = [due_time(r) for r in (wrong, hinted, first_try)]
    # A new card's Hard and Again both come back tomorrow; Hard's memory is stronger, so it spaces out sooner.
    assert dues[0] == due_time(revealed) == TOMORROW and dues[0] <= dues[1] < dues[2]  # type: ignore[operator]
    strengths = [r[CARD_FIELD]["stability"] for r in (wrong, hinted, first_try)]
    assert strengths == sorted(strengths) and len(set(strengths)) == 3


def test_right_after_a_wrong_try_the_same_day_is_hard() -> None:
    wrong = answered(None, WRONG, TODAY)
    again = answered(wrong, RIGHT, TODAY + timedelta(minutes=2))
    assert again[CARD_FIELD]["rating"] == int(Rating.Hard)
    next_day = answered(wrong, RIGHT, TOMORROW)
    assert next_day[CARD_FIELD]["rating"] == int(Rating.Good)


def test_an_ungraded_change_keeps_the_card() -> None:
    stored = answered(None, RIGHT, TODAY)
    pending = QuizRecord.from_json(stored)  # a prediction waiting for its run changes no grade
    assert rating_for(pending, pending, False, stored[CARD_FIELD], TODAY) is None
    assert scheduled_record(stored, pending, False, TODAY)[CARD_FIELD] == stored[CARD_FIELD]


def test_old_records_load_and_stay_on_the_missed_list(tmp_path: Path) -> None:
    old = {"version": 1, "last_lesson": None, "lessons": {}, "settings": {},
           "quizzes": {"snap-choice": {"attempts": 1, "outcome": "wrong", "missed": True},
                       "snap-multi": {"attempts": 1, "outcome": "right", "correct": True,
                                      CARD_FIELD: {"due": "not a date"}}}}
    (tmp_path / "progress.json").write_text(json.dumps(old), encoding="utf-8")
    store = ProgressStore.open(tmp_path)
    assert store.error is None and due_ids(store.quizzes, TOMORROW) == []  # no card, or none readable
    lessons = Course.load(FIXTURES / "snapshot_quiz_course").in_language("en")
    due, missed = review_order(lessons, store.quizzes, TODAY)
    assert due == [] and [block.data["id"] for _lesson, block in missed] == ["snap-choice"]


def test_due_ones_come_first(tmp_path: Path) -> None:
    lessons = Course.load(FIXTURES / "snapshot_quiz_course").in_language("en")
    ids = [block.data["id"] for lesson in lessons for block in lesson.blocks if block.type == "quiz"]
    last, first = ids[-1], ids[0]
    quizzes = {first: {"attempts": 1, "outcome": "wrong", "missed": True}, last: answered(None, RIGHT, TODAY)}
    due, missed = review_order(lessons, quizzes, TODAY + timedelta(days=30))
    assert [b.data["id"] for _l, b in due] == [last] and [b.data["id"] for _l, b in missed] == [first]


def test_two_windows_keep_the_newer_card(tmp_path: Path) -> None:
    one, two = ProgressStore.open(tmp_path), ProgressStore.open(tmp_path)
    one.quizzes["q"] = answered(None, WRONG, TODAY)
    one.save()
    two.quizzes["other"] = answered(None, RIGHT, TODAY)
    two.quizzes["q"] = answered(None, RIGHT, TODAY)  # answered later in the second window
    two.quizzes["q"]["updated"] = one.quizzes["q"]["updated"] + 1
    two.save()
    merged = ProgressStore.open(tmp_path).quizzes
    assert merged["q"][CARD_FIELD]["rating"] == int(Rating.Good) and "other" in merged
    assert due_ids(merged, TOMORROW) == []


def test_cli_lists_what_is_due(tmp_path: Path, capsys) -> None:
    store = ProgressStore.open(tmp_path)
    store.quizzes["snap-choice"] = answered(None, WRONG, TODAY)
    store.save()
    args = argparse.Namespace(due=True, format="json", data_dir=tmp_path, lessons=FIXTURES / "snapshot_quiz_course", lang="en")
    assert command.run(args, now=TODAY) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert command.run(args, now=TOMORROW) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["quiz"], r["lesson"]) for r in rows] == [("snap-choice", "choice")]
    args.format, args.lang = "text", "zh"
    command.run(args, now=TOMORROW)
    out = capsys.readouterr().out
    assert out.startswith("今天到期：1 道题") and "snap-choice" in out


def test_a_card_of_the_wrong_type_is_named_and_the_record_kept(tmp_path: Path) -> None:
    raw = {"version": 1, "quizzes": {"q": {"attempts": 2, "outcome": "wrong", "missed": True, CARD_FIELD: "soon"}}}
    (tmp_path / "progress.json").write_text(json.dumps(raw), encoding="utf-8")
    store = ProgressStore.open(tmp_path)
    assert [str(p.where) for p in store.warnings] == ["quizzes.q.card"]
    assert store.quizzes["q"] == {"attempts": 2, "outcome": "wrong", "missed": True}
