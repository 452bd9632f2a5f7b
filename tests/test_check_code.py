"""`d2l-tui check` runs a lesson's Python only for the shipped course or when asked (`--run-code`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from d2l_tui.course.check import is_shipped_course
from d2l_tui.paths import shipped_lessons_dir

# A code quiz whose solution would leave a mark on disk if it ran, and fails besides.
LESSON = """---
id: side-effect
title: Side effect
order: 1
---

```quiz
id: q-writes
kind: code
prompt: p
solution: |
  open({marker!r}, "w").write("ran")
  undefined_name
explain: e
```
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "d2l_tui", *args], capture_output=True, text=True, timeout=120, check=False)


def write_course(tmp_path: Path) -> tuple[Path, Path]:
    folder, marker = tmp_path / "course", tmp_path / "ran.txt"
    folder.mkdir()
    (folder / "side-effect.md").write_text(LESSON.format(marker=str(marker)), encoding="utf-8")
    return folder, marker


def test_another_folders_code_is_not_run_unasked_and_the_report_says_how(tmp_path: Path) -> None:
    folder, marker = write_course(tmp_path)
    result = run_cli("check", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists()
    assert f"1 code checks skipped (quiz solutions are Python and were not run): to run them, d2l-tui check --run-code {folder}" in result.stdout
    report = json.loads(run_cli("check", "--format", "json", str(folder)).stdout)
    assert report["skipped_code_checks"] == 1 and not marker.exists()


def test_run_code_runs_it_and_reports_what_failed(tmp_path: Path) -> None:
    folder, marker = write_course(tmp_path)
    result = run_cli("check", "--run-code", str(folder))
    assert result.returncode == 1
    assert marker.read_text() == "ran"
    assert "quiz 'q-writes': the solution fails: NameError" in result.stdout
    assert "skipped" not in result.stdout


def test_help_says_what_runs() -> None:
    result = run_cli("check", "--help")
    text = " ".join(result.stdout.split())
    assert "--run-code" in text
    assert "run for the shipped course, and for other folders only with --run-code" in text


def test_only_the_shipped_course_counts_as_shipped(tmp_path: Path) -> None:
    shipped = shipped_lessons_dir()
    assert is_shipped_course([shipped]) and is_shipped_course([shipped / "zh" / "ndarray.md"])
    assert not is_shipped_course([tmp_path]) and not is_shipped_course([shipped, tmp_path])
    # A link into a folder of one's own does not pass for the course.
    (tmp_path / "link").symlink_to(tmp_path)
    assert not is_shipped_course([tmp_path / "link"])
