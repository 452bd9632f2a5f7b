"""Bad lesson files get clear words, located to a file (and a line where there is one); the rest works."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from d2l_tui.course import reading
from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson

GOOD = "---\nid: good\ntitle: Good\norder: 1\n---\n\n# Good\n\nFine text.\n"


def flat_course(tmp_path: Path) -> Path:
    """A flat one-language course with one good lesson, for a bad file to sit beside."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    return folder


def check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "d2l_tui", "check", *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)


def messages(course: Course, name: str) -> list[str]:
    return [str(p) for p in course.problems if p.path.name == name]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    lesson = load_lesson(path)
    assert lesson.problems == [] and lesson.title == "Good" and lesson.sections[0].title == "Good"


def test_each_bad_file_is_named_in_its_own_words_and_the_rest_of_the_course_works(tmp_path: Path) -> None:
    folder = flat_course(tmp_path)
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "folder.md").mkdir()
    (folder / "latin1.md").write_bytes(GOOD.replace("Fine text.", "Caf\xe9").encode("latin-1"))
    course = Course.load(folder)
    assert messages(course, "loop.md") == [f"{folder / 'loop.md'}: cannot read lesson: it is a symbolic link that points back to itself (a link loop)"]
    assert messages(course, "folder.md") == [f"{folder / 'folder.md'}: cannot read lesson: it is a folder, not a Markdown file (rename it so it does not end in .md)"]
    assert messages(course, "latin1.md") == [f"{folder / 'latin1.md'}:9: cannot read lesson: it is not UTF-8 text (byte 0xe9 on this line): save it as UTF-8"]
    good = course.get("good", "zh")
    assert good is not None and not good.problems and good.sections[0].items[0].markdown == "Fine text."
    result = check(folder)
    assert result.returncode == 1
    assert f"{folder / 'loop.md'}: cannot read lesson: it is a symbolic link" in result.stdout
    assert "internal error" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    single = check(folder / "loop.md")  # named directly, a link loop is not "no such file"
    assert "link loop" in single.stdout


def test_a_file_that_vanishes_between_header_and_body_is_reported(tmp_path: Path) -> None:
    folder = flat_course(tmp_path)
    (folder / "brief.md").write_text(GOOD.replace("id: good", "id: brief"), encoding="utf-8")
    course = Course.load(folder, bodies=False)  # the app reads headers first, bodies later
    (folder / "brief.md").unlink()
    course.load_bodies()
    brief = course.get("brief", "zh")
    assert brief is not None and brief.broken
    assert messages(course, "brief.md") == [f"{folder / 'brief.md'}: cannot read lesson: the file disappeared while the course was loading (moved or deleted?)"]
    assert course.get("good", "zh").sections


def test_a_lesson_over_the_size_limit_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    # Deeply nested lists are what made markdown-it take 40 s and 2.7 GB.
    path.write_text(GOOD + ("- " * 40 + "x\n") * (reading.MAX_BYTES // 80), encoding="utf-8")
    assert path.stat().st_size > reading.MAX_BYTES
    started = time.perf_counter()
    lesson = load_lesson(path)
    assert time.perf_counter() - started < 5  # refused before parsing (a generous bound: no timing claim)
    assert [str(p) for p in lesson.problems] == [f"{path}: lesson is larger than 2 MB and was not read: split it into several lessons"]


def test_lesson_ids_must_be_letters_digits_and_dashes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD.replace("id: good", "id: my lesson/1"), encoding="utf-8")
    assert [str(p) for p in load_lesson(bad).problems] == [
        f"{bad}:2: lesson id 'my lesson/1' may only hold letters, digits and '-' (such as 'linear-algebra')"
    ]
    for fine in ("linear-algebra", "gpu", "ch3-2"):
        ok = tmp_path / f"{fine}.md"
        ok.write_text(GOOD.replace("id: good", f"id: {fine}"), encoding="utf-8")
        assert load_lesson(ok).problems == []


def test_markdown_nested_past_the_parsers_limit_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text(GOOD + "\n" + ">" * 25 + " lost words\n\nAfter.\n", encoding="utf-8")
    lesson = load_lesson(path)
    assert [str(p) for p in lesson.problems] == [
        f"{path}:11: Markdown nested more than 20 levels deep (quotes or lists): what is inside is not shown; nest less"
    ]
    shallow = tmp_path / "shallow.md"
    shallow.write_text(GOOD + "\n" + ">" * 19 + " kept words\n", encoding="utf-8")
    assert load_lesson(shallow).problems == []


CONTROLLED = """---
id: ctl
title: "Title\\e]0;pwned\\a here"
order: 1
---

# Heading \x07bell

Text with \x1b[2J a clear-screen.

```quiz
id: q
kind: choice
prompt: "Pick\\e[31m one"
options: ["a\\x1b]52;c;Zm9v\\x07", b]
answer: 0
hint: "hint\\x9b2J"
explain: e
```
"""


def test_control_characters_never_reach_the_learner_and_check_warns_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "ctl.md"
    path.write_text(CONTROLLED, encoding="utf-8")
    lesson = load_lesson(path)
    quiz = lesson.blocks[0]
    shown = [lesson.title, lesson.sections[0].title, lesson.sections[0].items[0].markdown,
             quiz.data["prompt"], *quiz.data["options"], quiz.data["hint"]]
    for text in shown:
        assert not any(ord(ch) < 32 and ch not in "\t\n" or 0x7F <= ord(ch) <= 0x9F for ch in text), repr(text)
    assert lesson.title == "Title here"
    assert quiz.data["options"][0] == "a"
    assert not lesson.broken
    warnings = sorted((p.line, p.severity) for p in lesson.problems)
    assert warnings == [(1, "warning"), (7, "warning"), (9, "warning"), (11, "warning")]
    # YAML escapes (\e, \x1b) become controls only when parsed: they are stripped there too.
    result = check(path)
    assert f"{path}:7: control character U+0007 removed" in result.stdout


def test_a_lesson_in_another_language_does_not_break_the_checker(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    for lang in ("zh", "en"):
        (folder / lang).mkdir(parents=True)
        (folder / lang / "good.md").write_text(GOOD, encoding="utf-8")
    (folder / "zh" / "fr.md").write_text(GOOD.replace("id: good", "id: fr\nlang: fr"), encoding="utf-8")
    result = check(folder)
    assert "internal error" not in result.stdout + result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_reported_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    assert [str(p) for p in load_lesson(path).problems] == [f"{path}: cannot read lesson: it is not a regular file (a pipe or a device?)"]


async def test_the_app_lists_bad_files_as_broken_lessons_and_opens_the_good_one(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from d2l_tui.ui.app import make_app
    from d2l_tui.ui.widgets.prose import ProseBlock

    folder = flat_course(tmp_path)
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "folder.md").mkdir()
    app = make_app(lessons_dir=folder, data_dir=tmp_path / "data", lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert any("Good" in row for row in rows) and sum("✘" in row for row in rows) == 2
        assert app.open_lesson("good")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [b.prose.markdown for b in app.screen.query(ProseBlock)] == ["Fine text."]


def test_yaml_that_refers_to_itself_or_expands_without_end_is_refused_at_its_block(tmp_path: Path) -> None:
    laughs = "\n".join(
        [f"l0: &l0 [{', '.join(['x'] * 9)}]"]
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 8)]
    )
    path = tmp_path / "aliases.md"
    path.write_text(GOOD + "\n```train\nid: t\neditable: &a [*a]\n```\n\n```device\ntitle: x\nshow: []\n" + laughs + "\n```\n", encoding="utf-8")
    started = time.perf_counter()
    lesson = load_lesson(path)
    assert time.perf_counter() - started < 5  # refused, not expanded (a generous bound: no timing claim)
    assert [str(p) for p in lesson.problems] == [
        f"{path}:11: train block: the YAML refers to itself (an alias inside its own anchor)",
        f"{path}:16: device block: the YAML expands to more than 100000 values (through aliases)",
    ]
