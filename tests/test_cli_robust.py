"""The command line without UTF-8, without a terminal, with a --lessons folder that is not there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from d2l_tui.course.catalog import Course
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.progress import ProgressStore
from d2l_tui.summary import cell_width, progress_report


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL,
            text_in: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m d2l_tui ARGS` with bytes out, so an encoding problem shows instead of being decoded away."""
    return subprocess.run(
        [sys.executable, "-m", "d2l_tui", *args], env={**os.environ, **(env or {})}, capture_output=True,
        stdin=None if text_in is not None else stdin, input=text_in.encode() if text_in is not None else None,
        timeout=120,
    )


def score_columns(report: str) -> set[int]:
    """The terminal column where each lesson line's score begins."""
    return {cell_width(line[: line.rindex("  ")]) for line in report.splitlines()[:-1] if "/" in line.split()[-1]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_columns_line_up_by_terminal_width(lang: str, tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("ndarray")
    report = progress_report(Course.load(shipped_lessons_dir()), store, lang)
    lines = report.splitlines()[:-1]
    assert len(lines) >= 5 and len(score_columns(report)) == 1, report
    if lang == "zh":
        assert any(cell_width(line) > len(line) for line in lines), "the titles are Chinese"
        assert "◐" in report and "·" in report


ASCII_TERMINALS = [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
    {"LC_ALL": "C", "LANG": "C"},
]


@pytest.mark.parametrize("env", ASCII_TERMINALS, ids=["ioencoding-ascii", "c-locale-no-coercion", "c-locale"])
def test_progress_without_utf8(env: dict[str, str], isolated_data_dir: Path) -> None:
    done = run_cli("progress", "--lang", "zh", env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    out = done.stdout.decode("utf-8")
    assert "Traceback" not in done.stderr.decode(errors="replace")
    assert "% complete" in out
    if out.isascii():
        assert "\\u524d\\u8a00" in out, "a Chinese title as escapes, not question marks"
        assert len(score_columns(out)) == 1, out
    else:
        assert "前言" in out  # Python's C-locale coercion gave UTF-8


@pytest.mark.parametrize("env", ASCII_TERMINALS[:2], ids=["ioencoding-ascii", "c-locale-no-coercion"])
def test_check_and_its_errors_without_utf8(env: dict[str, str], broken_course: Path) -> None:
    done = run_cli("check", str(broken_course), env=env)
    assert done.returncode == 1 and done.stdout.isascii()
    assert "Traceback" not in done.stderr.decode(errors="replace") and b"bad-blocks.md:17" in done.stdout


def test_the_tutor_without_a_terminal_says_so_and_exits(isolated_data_dir: Path) -> None:
    for stdin in (subprocess.DEVNULL, subprocess.PIPE):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "d2l_tui"], stdin=stdin, capture_output=True, timeout=60)
        assert done.returncode == 2
        assert b"needs a terminal" in done.stderr and done.stderr.count(b"\n") == 1
        assert b"`review`" in done.stderr and b"`export`" in done.stderr and b"`serve`" in done.stderr
        assert time.monotonic() - started < 30
    assert not isolated_data_dir.exists(), "nothing was started"


def test_subcommands_work_without_a_terminal(isolated_data_dir: Path) -> None:
    assert run_cli("progress").returncode == 0
    assert run_cli("check", str(shipped_lessons_dir() / "zh" / "preface.md")).returncode == 0


@pytest.mark.parametrize("command", [[], ["check"], ["progress"]], ids=["tutor", "check", "progress"])
def test_lessons_folder_that_does_not_exist(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-course"
    done = run_cli(*command, "--lessons", str(missing))
    assert done.returncode == 2
    assert done.stderr.decode() == f"d2l-tui: --lessons {missing}: no such folder\n"
    assert done.stdout == b""


def test_reset_asks_first_and_no_answer_changes_nothing(isolated_data_dir: Path) -> None:
    store = ProgressStore.open(isolated_data_dir)
    store.visit("ndarray")
    assert store.save()
    before = (isolated_data_dir / "progress.json").read_text(encoding="utf-8")
    done = run_cli("progress", "--reset")  # standard input is /dev/null: no one answers
    assert b"Forget all progress" in done.stdout and b"Nothing was changed." in done.stdout
    assert (isolated_data_dir / "progress.json").read_text(encoding="utf-8") == before
    done = run_cli("progress", "--reset", text_in="y\n")
    assert done.returncode == 0 and b"Progress reset" in done.stdout
    assert json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))["lessons"] == {}


def test_progress_names_ignored_values_on_stderr(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "progress.json").write_text(
        '{"version": 1, "lessons": {"ndarray": {"visited": 1.0, "section": "abc"}}}', encoding="utf-8"
    )
    done = run_cli("progress", "--lang", "en")
    assert done.returncode == 0
    assert b'lessons.ndarray.section = "abc" (not a usable value)' in done.stderr
    assert b"kept as" in done.stderr and b"% complete" in done.stdout
