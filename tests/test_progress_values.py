"""A progress file of the right shape with wrong values: bad values are ignored and named, the rest kept."""

from __future__ import annotations

import json
from pathlib import Path

from d2l_tui.progress import ProgressStore
from d2l_tui.progress_checks import MAX_ANSWER_CHARS, MAX_ENTRIES


def write(folder: Path, document: dict) -> str:
    text = json.dumps(document, ensure_ascii=False)
    (folder / "progress.json").write_text(text, encoding="utf-8")
    return text


def test_wrong_values_are_ignored_named_and_the_rest_kept(tmp_path: Path) -> None:
    original = write(tmp_path, {
        "version": 1,
        "last_lesson": "ndarray",
        "lessons": {
            "ndarray": {"visited": 5.0, "section": "abc", "item": 2, "completed": True},
            "autograd": ["not", "an", "entry"],
        },
        "quizzes": {"q1": {"correct": True, "attempts": "many"}, "q2": 3},
        "settings": {"lang": 7, "theme": "nord"},
    })
    store = ProgressStore.open(tmp_path)
    named = {str(problem).split(" = ")[0] for problem in store.warnings}
    assert named == {"lessons.ndarray.section", "lessons.autograd", "quizzes.q1.attempts", "quizzes.q2", "settings.lang"}
    assert "settings.lang = 7" in [str(problem).split(" (")[0] for problem in store.warnings]
    assert store.moved_aside is None
    lesson = store.lesson("ndarray")
    assert (lesson.visited, lesson.section, lesson.item, lesson.completed) == (5.0, 0, 2, True)
    assert store.quizzes == {"q1": {"correct": True}} and store.settings == {"theme": "nord"}
    assert store.last_lesson == "ndarray"
    assert store.kept_copy is not None and store.kept_copy.read_text(encoding="utf-8") == original
    store.visit("preface")
    assert store.save()
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["settings"] == {"theme": "nord"} and "autograd" not in saved["lessons"]
    assert saved["lessons"]["ndarray"]["completed"] and "preface" in saved["lessons"]
    assert not ProgressStore.open(tmp_path).warnings, "the next start has nothing to say"


def test_a_file_with_nothing_usable_is_moved_aside(tmp_path: Path) -> None:
    original = write(tmp_path, {"version": 1, "lessons": {"a": [1]}, "settings": {"lang": 7}, "quizzes": []})
    store = ProgressStore.open(tmp_path)
    assert store.moved_aside is not None and store.moved_aside.read_text(encoding="utf-8") == original
    assert store.error and "lessons.a" in store.error
    assert not (tmp_path / "progress.json").exists() and store.lessons == {}


def test_fields_and_keys_of_a_later_version_survive_a_save(tmp_path: Path) -> None:
    write(tmp_path, {"version": 1, "lessons": {"a": {"completed": True, "stars": 3}}, "badges": ["gold"]})
    store = ProgressStore.open(tmp_path)
    assert not store.warnings
    store.visit("b")
    assert store.save()
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["lessons"]["a"]["stars"] == 3 and saved["badges"] == ["gold"]


def test_saved_file_reads_as_the_previous_version_expects(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("第一课")
    store.quizzes["q"] = {"correct": True, "answer": "print('你好')"}
    assert store.save()
    raw = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert raw["version"] == 1 and raw["last_lesson"] == "第一课"
    assert set(raw) >= {"lessons", "quizzes", "settings"}
    assert set(raw["lessons"]["第一课"]) == {"visited", "completed", "end_reached", "section", "item"}


def test_an_answer_too_big_is_cut_and_named(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.quizzes["code"] = {"correct": False, "answer": "x = 1\n" * MAX_ANSWER_CHARS}
    assert store.save()
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert len(saved["quizzes"]["code"]["answer"]) == MAX_ANSWER_CHARS
    assert saved["quizzes"]["code"]["answer"].startswith("x = 1\n")
    assert [str(p).split(" = ")[0] for p in store.warnings] == ["quizzes.code.answer"]


def test_at_most_so_many_quiz_records_are_kept_the_newest(tmp_path: Path) -> None:
    quizzes = {f"q{n}": {"correct": True, "updated": float(n)} for n in range(MAX_ENTRIES + 10)}
    write(tmp_path, {"version": 1, "quizzes": quizzes})
    store = ProgressStore.open(tmp_path)
    assert len(store.quizzes) == MAX_ENTRIES and "q0" not in store.quizzes and f"q{MAX_ENTRIES + 9}" in store.quizzes
    assert [p.reason for p in store.warnings] == ["too-many"]


def test_answers_past_the_total_bound_lose_their_text_oldest_first(tmp_path: Path) -> None:
    from d2l_tui.progress_checks import MAX_ANSWERS_CHARS

    size = MAX_ANSWER_CHARS // 2
    count = MAX_ANSWERS_CHARS // size + 5
    quizzes = {f"q{n}": {"correct": True, "updated": float(n), "answer": "x" * (size - 2)} for n in range(count)}
    write(tmp_path, {"version": 1, "quizzes": quizzes})
    store = ProgressStore.open(tmp_path)
    assert len(store.quizzes) == count and all(record["correct"] for record in store.quizzes.values())
    assert "answer" not in store.quizzes["q0"] and "answer" in store.quizzes[f"q{count - 1}"]
    kept = sum(len(json.dumps(r["answer"])) for r in store.quizzes.values() if "answer" in r)
    assert MAX_ANSWERS_CHARS - size < kept <= MAX_ANSWERS_CHARS
    assert [str(p) for p in store.warnings] == ["quizzes.*.answer = 5 old answers (too big)"]
