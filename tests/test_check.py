"""`d2l-tui check` through the real command line: text, json, exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "d2l_tui", *args], capture_output=True, text=True, timeout=120)


def test_shipped_lessons_are_clean() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 errors.")


def test_broken_folder_names_every_problem_with_file_and_line(broken_course: Path) -> None:
    result = run_cli("check", str(broken_course))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    zh = broken_course / "zh"
    expected = [
        f"{zh / 'bad-yaml.md'}:3: front matter is not valid YAML",
        f"{zh / 'no-front.md'}:1: missing front matter",
        f"{zh / 'missing-keys.md'}:1: front matter is missing required key 'title'",
        f"{zh / 'bad-blocks.md'}:14: quiz block: the YAML body does not parse",
        f"{zh / 'bad-blocks.md'}:17: unknown directive 'hologram'",
        f"{zh / 'bad-blocks.md'}:24: unknown key 'promt' in quiz block (did you mean 'prompt'?)",
        f"{zh / 'dup.md'}:2: duplicate lesson id 'good'",
        f"{zh / 'bad-blocks.md'}:2: lesson 'bad-blocks' has no English counterpart",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), f"missing: {start}\n{result.stdout}"


def test_json_format(broken_course: Path) -> None:
    result = run_cli("check", str(broken_course), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {"lessons", "errors"} <= set(report)
    lesson = next(l for l in report["lessons"] if l["id"] == "bad-blocks")
    assert set(lesson) >= {"id", "lang", "title", "path", "blocks"}
    quiz = next(b for b in lesson["blocks"] if b.get("id") == "q-typo")
    assert quiz["type"] == "quiz" and quiz["kind"] == "choice" and quiz["line"] == 21
    assert all(set(e) == {"path", "line", "message"} for e in report["errors"])


def test_single_file_and_missing_path(tmp_path: Path, broken_course: Path) -> None:
    good = run_cli("check", str(broken_course / "zh" / "good.md"))
    assert good.returncode == 0, good.stdout
    missing = run_cli("check", str(tmp_path / "nope.md"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stdout


def test_doctor_reports_and_exits_by_what_it_found() -> None:
    result = run_cli("doctor")
    for name in ("Python", "NumPy", "MXNet", "CPU", "Cores", "GPUs"):
        assert name in result.stdout
    # This project's environment has MXNet, so everything the course needs is here.
    assert result.returncode == 0, result.stdout
    assert "1.9.1" in result.stdout


def test_doctor_exit_1_and_fix_when_mxnet_cannot_load(tmp_path: Path) -> None:
    # A directory that shadows the real package with one that fails to import.
    fake = tmp_path / "mxnet"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('simulated broken MXNet')\n")
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "d2l_tui", "doctor"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "simulated broken MXNet" in result.stdout
    assert "fix: " in result.stdout and "pip install mxnet==1.9.1" in result.stdout


def test_progress_command(tmp_path: Path) -> None:
    result = run_cli("progress", "--data-dir", str(tmp_path))
    assert result.returncode == 0 and "0% complete" in result.stdout


BROKEN_QUIZZES = """---
id: quizzes
title: Quizzes
order: 1
---

# Quizzes

```quiz
id: q-choice
kind: choice
prompt: Which?
options: [a, b]
answer: 2
explain: Because.
```

```quiz
id: q-multi
kind: multi
prompt: Which ones?
options: [a, b, c]
answer: []
explain: Because.
```

```quiz
id: q-numeric
kind: numeric
prompt: How many?
answer: 3
explain: Because.
```

```quiz
id: q-code
kind: code
prompt: Write it.
explain: Because.
solution: |
  y = nd.ones((2, 2))
  y / undefined_name
```

```quiz
id: q-kind
kind: essay
prompt: Write.
explain: Because.
```

```quiz
id: q-choice
kind: choice
prompt: Again?
options: [a, b]
answer: 0
```
"""


def test_check_reports_each_broken_quiz_with_file_and_line(tmp_path: Path) -> None:
    lesson = tmp_path / "quizzes.md"  # a flat course folder of one lesson
    lesson.write_text(BROKEN_QUIZZES, encoding="utf-8")
    result = run_cli("check", "--run-code", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = [
        f"{lesson}:14: answer 2 points past the options (there are 2, numbered 0 to 1)",
        f"{lesson}:23: a multi quiz needs at least one correct option in 'answer'",
        f"{lesson}:27: a numeric quiz needs 'tolerance'",
        f"{lesson}:40: quiz 'q-code': the solution fails: NameError: name 'undefined_name' is not defined",
        f"{lesson}:47: unknown quiz kind 'essay'",
        f"{lesson}:52: duplicate quiz id 'q-choice': also used at {lesson}:9",
        f"{lesson}:52: quiz block is missing 'explain'",
    ]
    lines = result.stdout.splitlines()
    for start in expected:
        assert any(line.startswith(start) for line in lines), f"missing: {start}\n{result.stdout}"
    assert result.stdout.strip().endswith("7 errors.")


def test_check_json_lists_every_quiz_with_its_kind_in_both_languages() -> None:
    result = run_cli("check", "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["skipped_code_checks"] == 0  # the shipped course's code is run by default
    kinds: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    for lesson in report["lessons"]:
        for block in lesson["blocks"]:
            if block["type"] == "quiz":
                kinds[lesson["lang"]][block["id"]] = block["kind"]
    assert kinds["zh"] == kinds["en"]  # the same quizzes, by id and kind, in both languages
    assert set(kinds["zh"].values()) >= {"choice", "multi", "numeric", "code"}
