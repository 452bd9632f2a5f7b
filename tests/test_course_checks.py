"""Course-wide checks: zh and en keep the same blocks, numeric answers agree with their solutions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from d2l_tui.course.catalog import Course

HEADER = "---\nid: l\ntitle: {title}\norder: 1\n---\n\n"
CHOICE = "```quiz\nid: {id}\nkind: choice\nprompt: p\noptions: [a, b]\nanswer: 0\nexplain: e\n```\n\n"
CODE = "```code\ncode: 1 + 1\n```\n\n"


def course(tmp_path: Path, zh_body: str, en_body: str) -> Path:
    for lang, body in (("zh", zh_body), ("en", en_body)):
        (tmp_path / lang).mkdir(parents=True, exist_ok=True)
        (tmp_path / lang / "l.md").write_text(HEADER.format(title=lang) + body, encoding="utf-8")
    return tmp_path


def test_matching_translations_pass(tmp_path: Path) -> None:
    root = course(tmp_path, CHOICE.format(id="q1") + CODE, CHOICE.format(id="q1") + CODE)
    assert Course.load(root).problems == []


def test_a_quiz_missing_from_one_language_is_named_with_its_line(tmp_path: Path) -> None:
    root = course(tmp_path, CHOICE.format(id="q1") + CHOICE.format(id="q2"), CHOICE.format(id="q1") + CODE)
    problems = Course.load(root).problems
    assert [(p.path.parent.name, p.line) for p in problems] == [("en", 16)]
    assert "block 2 differs from the Chinese lesson" in problems[0].message
    assert "expected quiz 'q2', found code" in problems[0].message


def test_numeric_answers_are_checked_against_their_solution(tmp_path: Path) -> None:
    numeric = "```quiz\nid: n\nkind: numeric\nprompt: p\nanswer: {answer}\ntolerance: {{abs: 0.01}}\nsolution: (nd.arange(4) ** 2).sum()\nexplain: e\n```\n"
    root = course(tmp_path, numeric.format(answer=14), numeric.format(answer=15))
    result = subprocess.run([sys.executable, "-m", "d2l_tui", "check", "--run-code", str(root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "solution computes" in line]
    assert lines == [f"{root / 'en' / 'l.md'}:11: quiz 'n': 'answer' is 15 but the solution computes 14 (tolerance ±0.01)"]
