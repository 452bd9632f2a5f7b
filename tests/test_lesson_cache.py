"""The parsed-lesson cache: used while files are unchanged, never trusted past an edit or damage."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from d2l_tui.course import cache as cache_module
from d2l_tui.course.cache import LessonCache
from d2l_tui.course.catalog import Course

PREFACE = "zh/preface.md"


@pytest.fixture
def course_copy(tmp_path: Path, shipped_course: Path) -> Path:
    """A copy of the shipped course that a test may edit."""
    target = tmp_path / "course"
    shutil.copytree(shipped_course, target)
    return target


def load(root: Path, folder: Path) -> Course:
    """Load a course through a cache in `folder`, the way the app does, bodies included."""
    course = Course.load(root, bodies=False, cache=LessonCache(folder))
    course.load_bodies()
    return course


def test_a_second_start_takes_every_lesson_from_the_cache(course_copy: Path, tmp_path: Path, monkeypatch) -> None:
    first = load(course_copy, tmp_path / "cache")
    assert (tmp_path / "cache" / cache_module.CACHE_FILE).exists()
    # The parser must not run at all: make it fail if anything asks for it.
    monkeypatch.setitem(sys.modules, "d2l_tui.course.loader", None)
    second = Course.load(course_copy, bodies=False, cache=LessonCache(tmp_path / "cache"))
    assert not second.bodies_loaded  # headers now; each body is decoded when it is wanted
    second.load_bodies()
    assert second.bodies_loaded
    assert [(l.id, l.lang, l.title, len(l.sections)) for l in second.lessons] == [
        (l.id, l.lang, l.title, len(l.sections)) for l in first.lessons
    ]
    preface = second.get("preface", "zh")
    assert preface.path == course_copy / PREFACE
    assert preface.sections[1].items[0].markdown == first.get("preface", "zh").sections[1].items[0].markdown


def test_an_edited_lesson_is_parsed_again(course_copy: Path, tmp_path: Path) -> None:
    load(course_copy, tmp_path / "cache")
    path = course_copy / PREFACE
    text = path.read_text(encoding="utf-8").replace("title: 前言：用数据编程", "title: 改过的标题", 1)
    assert "改过的标题" in text
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = load(course_copy, tmp_path / "cache")
    assert again.get("preface", "zh").title == "改过的标题"


def test_a_damaged_cache_only_costs_a_parse(course_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / cache_module.CACHE_FILE).write_bytes(b"not JSON at all")
    course = load(course_copy, folder)
    assert course.get("preface", "zh").sections
    assert not course.problems
    # ...and the damaged file was replaced by a good one.
    assert LessonCache(folder).get(course_copy / PREFACE) is not None


def test_changed_parsing_code_invalidates_the_cache(course_copy: Path, tmp_path: Path, monkeypatch) -> None:
    load(course_copy, tmp_path / "cache")
    assert LessonCache(tmp_path / "cache").get(course_copy / PREFACE) is not None
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
    assert LessonCache(tmp_path / "cache").get(course_copy / PREFACE) is None


def test_problems_found_across_files_are_not_cached_with_one_file(course_copy: Path, tmp_path: Path) -> None:
    """A missing translation is reported once per run, and gone once the translation exists."""
    english = course_copy / "en" / "preface.md"
    kept = english.read_bytes()
    english.unlink()
    first = load(course_copy, tmp_path / "cache")
    assert [p.message for p in first.get("preface", "zh").problems if "counterpart" in p.message]
    again = load(course_copy, tmp_path / "cache")
    assert len([p for p in again.get("preface", "zh").problems if "counterpart" in p.message]) == 1
    english.write_bytes(kept)
    restored = load(course_copy, tmp_path / "cache")
    assert not restored.get("preface", "zh").problems


def test_a_broken_lesson_stays_broken_from_the_cache(broken_course: Path, tmp_path: Path) -> None:
    first = load(broken_course, tmp_path / "cache")
    second = load(broken_course, tmp_path / "cache")
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert any(l.broken for l in second.lessons)


def test_the_cache_is_json_in_a_private_folder(course_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    load(course_copy, folder)
    path = folder / cache_module.CACHE_FILE
    document = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: nothing in it can run
    assert set(document) == {"fingerprint", "entries"}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not stat.S_IMODE(path.stat().st_mode) & 0o077
    bodies = folder / cache_module.BODIES
    assert stat.S_IMODE(bodies.stat().st_mode) == 0o700
    assert {entry["body"] for entry in document["entries"].values()} == {p.stem for p in bodies.glob("*.json")}
    for body in bodies.iterdir():
        json.loads(body.read_text(encoding="utf-8"))
        assert not stat.S_IMODE(body.stat().st_mode) & 0o077
    for module in ("cache.py", "cache_json.py"):
        assert "import pickle" not in (Path(cache_module.__file__).parent / module).read_text(encoding="utf-8")


def test_a_folder_others_can_write_is_made_private_or_not_trusted(course_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    load(course_copy, folder)
    os.chmod(folder, 0o777)
    assert LessonCache(folder).get(course_copy / PREFACE) is None  # anyone could have written it
    load(course_copy, folder)  # written again: the folder is made private first
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert LessonCache(folder).get(course_copy / PREFACE) is not None


def test_an_entry_that_fails_its_check_is_ignored_and_rebuilt(course_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = load(course_copy, folder)
    path = folder / cache_module.CACHE_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    key = cache_module.cache_key(course_copy / PREFACE)
    # A body of the wrong shape, written where the index will look for it (named by its hash, as the cache would).
    wrong = json.dumps({"sections": [["a section", "not a level", 1, []]], "problems": []}).encode()
    (folder / cache_module.BODIES / f"{cache_module.body_name(wrong)}.json").write_bytes(wrong)
    document["entries"][key]["body"] = cache_module.body_name(wrong)
    document["entries"][cache_module.cache_key(course_copy / "en" / "preface.md")]["lesson"] = {"__reduce__": "os.system"}
    path.write_text(json.dumps(document), encoding="utf-8")
    damaged = LessonCache(folder)
    header = damaged.get(course_copy / PREFACE)
    assert header is not None and not damaged.fill_body(header)  # the header is fine, the body is not
    assert damaged.get(course_copy / "en" / "preface.md") is None
    again = load(course_copy, folder)
    assert [len(l.sections) for l in again.lessons] == [len(l.sections) for l in first.lessons]
    rebuilt = LessonCache(folder)  # both entries were parsed again and saved
    for name in (PREFACE, "en/preface.md"):
        lesson = rebuilt.get(course_copy / name)
        assert lesson is not None and rebuilt.fill_body(lesson) and lesson.sections


def test_a_cached_lesson_comes_back_equal_to_a_parsed_one(course_copy: Path, tmp_path: Path) -> None:
    parsed = load(course_copy, tmp_path / "cache")
    cache = LessonCache(tmp_path / "cache")
    for lesson in parsed.lessons:
        cached = cache.get(lesson.path)
        assert cached is not None and cache.fill_body(cached)
        assert cached.problems == lesson.problems
        assert cached.sections == lesson.sections, lesson.path
        assert (cached.id, cached.title, cached.order, cached.requires, cached.minutes, cached.summary,
                cached.replaces) == (
            lesson.id, lesson.title, lesson.order, lesson.requires, lesson.minutes, lesson.summary,
            lesson.replaces)


def test_a_body_file_that_is_not_what_its_entry_wrote_is_parsed_again_and_an_old_body_removed(
    course_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    load(course_copy, folder)
    key = cache_module.cache_key(course_copy / PREFACE)
    entries = json.loads((folder / cache_module.CACHE_FILE).read_text(encoding="utf-8"))["entries"]
    body = folder / cache_module.BODIES / f"{entries[key]['body']}.json"
    body.write_bytes(body.read_bytes().replace("前言".encode(), "改过".encode(), 1))  # still a lesson's shape
    cache = LessonCache(folder)
    header = cache.get(course_copy / PREFACE)
    assert header is not None and not cache.fill_body(header)
    os.chmod(body, 0o666)
    body.write_bytes(body.read_bytes().replace("改过".encode(), "前言".encode(), 1))  # the right text, but anyone may write it
    assert not cache.fill_body(header)
    # An edited lesson gets a new body file; the one no entry names any more goes.
    path = course_copy / PREFACE
    path.write_text(path.read_text(encoding="utf-8") + "\n一段新的话。\n", encoding="utf-8")
    again = load(course_copy, folder)
    assert "一段新的话" in again.get("preface", "zh").sections[-1].items[-1].markdown
    assert not body.exists()
    assert len(list((folder / cache_module.BODIES).glob("*.json"))) == len(again.lessons)
