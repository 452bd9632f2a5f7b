"""Two windows on one data folder: every save merges per lesson, quiz and setting under a lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from d2l_tui.progress import ProgressStore


def on_disk(folder: Path) -> dict:
    return json.loads((folder / "progress.json").read_text(encoding="utf-8"))


def test_two_stores_keep_each_others_answers_and_places(tmp_path: Path) -> None:
    first, second = ProgressStore.open(tmp_path), ProgressStore.open(tmp_path)
    first.visit("ndarray")
    first.remember_position("ndarray", 3, 2)
    first.quizzes["q1"] = {"attempts": 1, "correct": True, "updated": 10.0}
    assert first.save()
    second.visit("autograd")
    second.remember_position("autograd", 1, 0)
    second.quizzes["q2"] = {"attempts": 2, "correct": False, "updated": 11.0}
    second.settings["theme"] = "nord"
    assert second.save()
    saved = on_disk(tmp_path)
    assert set(saved["quizzes"]) == {"q1", "q2"}
    assert saved["lessons"]["ndarray"]["section"] == 3 and saved["lessons"]["autograd"]["section"] == 1
    assert saved["last_lesson"] == "autograd" and saved["settings"]["theme"] == "nord"
    assert second.quizzes["q1"]["correct"], "the second window now sees the first one's answer"
    first.settings["lang"] = "en"
    assert first.save()
    assert on_disk(tmp_path)["settings"] == {"theme": "nord", "lang": "en"}
    assert first.quizzes["q2"]["attempts"] == 2 and first.lessons["autograd"].section == 1


def test_a_right_answer_is_not_undone_by_an_older_wrong_one(tmp_path: Path) -> None:
    first, second = ProgressStore.open(tmp_path), ProgressStore.open(tmp_path)
    first.quizzes["q"] = {"attempts": 3, "correct": True, "outcome": "right", "updated": 200.0}
    second.quizzes["q"] = {"attempts": 1, "correct": False, "outcome": "wrong", "missed": True, "updated": 100.0}
    assert first.save() and second.save()  # the older wrong answer is saved last
    record = on_disk(tmp_path)["quizzes"]["q"]
    assert record["correct"] and record["outcome"] == "right" and record["attempts"] == 3
    third = ProgressStore.open(tmp_path)
    assert third.quizzes["q"]["correct"]
    # A newer wrong answer is the latest graded answer: it counts, and attempts take the larger.
    third.quizzes["q"] = {"attempts": 4, "correct": False, "outcome": "wrong", "updated": 300.0}
    second.quizzes["q"] = {"attempts": 2, "correct": True, "outcome": "right", "updated": 250.0}
    assert third.save() and second.save()
    record = on_disk(tmp_path)["quizzes"]["q"]
    assert (record["outcome"], record["attempts"]) == ("wrong", 4)


def test_one_lesson_in_two_windows_merges_field_by_field(tmp_path: Path) -> None:
    first, second = ProgressStore.open(tmp_path), ProgressStore.open(tmp_path)
    first.lesson("ndarray").visited = 50.0
    first.complete("ndarray")
    assert first.save()
    second.lesson("ndarray").visited = 80.0
    second.remember_position("ndarray", 4, 1)
    assert second.save()
    lesson = on_disk(tmp_path)["lessons"]["ndarray"]
    assert lesson["completed"], "done stays done"
    assert lesson["visited"] == 50.0, "the first visit stays the earliest"
    assert (lesson["section"], lesson["item"]) == (4, 1), "the place this window moved to wins"


def test_reset_forgets_what_other_windows_saved_but_keeps_settings(tmp_path: Path) -> None:
    first, second = ProgressStore.open(tmp_path), ProgressStore.open(tmp_path)
    first.visit("a")
    first.settings["lang"] = "en"
    assert first.save()
    second.visit("b")
    second.quizzes["q"] = {"correct": True}
    assert second.save()
    assert first.reset()
    saved = on_disk(tmp_path)
    assert saved["lessons"] == {} and saved["quizzes"] == {} and saved["last_lesson"] is None
    assert saved["settings"] == {"lang": "en"}
    assert second.save()  # nothing changed there since: the reset is not undone
    assert on_disk(tmp_path)["quizzes"] == {}


def test_a_file_written_by_the_previous_version_is_merged_into(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("a")
    assert store.save()
    old = {"version": 1, "last_lesson": "b", "lessons": {"b": {"visited": 1.0, "completed": True, "end_reached": True,
           "section": 0, "item": -1}}, "quizzes": {"qb": {"correct": True}}, "settings": {}}
    (tmp_path / "progress.json").write_text(json.dumps(old, indent=1), encoding="utf-8")
    store.quizzes["qa"] = {"correct": True}
    assert store.save()
    saved = on_disk(tmp_path)
    assert set(saved["lessons"]) == {"a", "b"} and set(saved["quizzes"]) == {"qa", "qb"}


WORKER = """
import sys, time
from pathlib import Path
from d2l_tui.progress import ProgressStore
folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = ProgressStore.open(folder)
for n in range(count):
    store.quizzes[f"{name}-{n}"] = {"attempts": n + 1, "correct": n % 2 == 0, "updated": time.time()}
    store.remember_position(name, n, 0)
    assert store.save(), store.save_problem
"""


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    count = 60
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), name, str(count)], stderr=subprocess.PIPE)
        for name in ("left", "right")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()
    saved = on_disk(tmp_path)
    assert set(saved["quizzes"]) == {f"{name}-{n}" for name in ("left", "right") for n in range(count)}
    assert saved["lessons"]["left"]["section"] == saved["lessons"]["right"]["section"] == count - 1
    assert not list(tmp_path.glob(".progress-*"))
