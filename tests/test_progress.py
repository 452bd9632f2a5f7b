"""The progress store: atomic saves, and a corrupt file kept aside, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

from d2l_tui.progress import ProgressStore


def test_round_trip(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("ndarray")
    store.remember_position("ndarray", 2, 3)
    store.complete("preface")
    store.quizzes["q1"] = {"correct": True}
    store.save()
    again = ProgressStore.open(tmp_path)
    assert again.last_lesson == "ndarray"
    assert (again.lesson("ndarray").section, again.lesson("ndarray").item) == (2, 3)
    assert again.status("preface") == "new"  # completed but never visited is not possible in the app
    assert again.lesson("preface").completed
    assert again.status("ndarray") == "started"
    assert again.quiz_score(["q1", "q2"]) == (1, 2)
    assert not list(tmp_path.glob(".progress-*")), "no temporary file left behind"


def test_corrupt_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text('{"version": 1, "lessons": {"a": ', encoding="utf-8")
    store = ProgressStore.open(tmp_path)
    assert store.moved_aside is not None and store.moved_aside.exists()
    assert store.moved_aside.read_text(encoding="utf-8") == '{"version": 1, "lessons": {"a": '
    assert store.error and "JSONDecodeError" in store.error
    assert not path.exists() and store.lessons == {}
    store.visit("preface")
    store.save()
    assert json.loads(path.read_text(encoding="utf-8"))["last_lesson"] == "preface"


def test_wrong_shape_is_moved_aside_too(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_text('{"version": 1, "lessons": {"a": 5}}', encoding="utf-8")
    store = ProgressStore.open(tmp_path)
    assert store.moved_aside is not None
    second = tmp_path / "progress.json"
    second.write_text("[]", encoding="utf-8")
    other = ProgressStore.open(tmp_path)
    assert other.moved_aside is not None and other.moved_aside != store.moved_aside


def test_save_failure_keeps_old_file(tmp_path: Path, monkeypatch) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("a")
    store.save()
    before = (tmp_path / "progress.json").read_text(encoding="utf-8")
    store.visit("b")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("d2l_tui.progress.os.replace", explode)
    assert not store.save() and "disk full" in str(store.save_problem)
    assert (tmp_path / "progress.json").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".progress-*"))


def test_a_key_from_a_later_version_is_ignored_not_taken_for_damage(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_text(
        '{"version": 1, "lessons": {"a": {"completed": true, "stars": 3}}}', encoding="utf-8"
    )
    store = ProgressStore.open(tmp_path)
    assert store.moved_aside is None and store.lesson("a").completed
