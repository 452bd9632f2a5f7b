"""Worked solutions: the `solution` block's format and checks, the shipped course's use of it, and the
folded widget in the real app (Enter, Space and `s` unfold it; settling its quiz unfolds it)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from test_course_facts import CHAPTER_3

from d2l_tui.course.catalog import Course
from d2l_tui.course.check import collect_lessons, report_json
from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Block, Prose
from d2l_tui.course.solutions import MARKDOWN_KEY
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.quiz_card import QuizCard
from d2l_tui.ui.widgets.solution import SolutionBlock

HEADER = "---\nid: sol\ntitle: {title}\norder: 1\n---\n\n# {title}\n\n"
QUIZ = "```quiz\nid: q-pick\nkind: choice\nprompt: {prompt}\noptions: [a, b]\nanswer: 0\nexplain: {explain}\n```\n\n"
LINKED = "````solution for=q-pick\n{body}\n\n```python\nprint(1)\n```\n````\n\n"
FREE = '```solution title="{title}"\n{body}\n```\n'
BODIES = {
    "zh": {"title": "练习", "prompt": "选哪个？", "explain": "第一个。", "body": "答案是 $x^2$，\n因为它最小。",
           "free_title": "参考思路", "free": "自由思考的要点。"},
    "en": {"title": "Exercise", "prompt": "Which?", "explain": "The first.", "body": "The answer is $x^2$,\nthe smallest.",
           "free_title": "Our take", "free": "Points to think about."},
}


def write_course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    for lang, words in BODIES.items():
        (root / lang).mkdir(parents=True)
        text = (HEADER.format(title=words["title"]) + QUIZ.format(prompt=words["prompt"], explain=words["explain"])
                + LINKED.format(body=words["body"]) + FREE.format(title=words["free_title"], body=words["free"]))
        (root / lang / "sol.md").write_text(text, encoding="utf-8")
    return root


def test_a_solution_block_keeps_its_quiz_title_and_markdown_prepared_like_prose(tmp_path: Path) -> None:
    root = write_course(tmp_path)
    course = Course.load(root)
    assert course.problems == []
    linked, free = [b for b in course.get("sol", "zh").blocks if b.type == "solution"]
    assert linked.data["for"] == "q-pick" and linked.line == 18
    assert linked.data[MARKDOWN_KEY] == "答案是 x²，因为它最小。\n\n```python\nprint(1)\n```"
    assert free.data == {"title": "参考思路", MARKDOWN_KEY: "自由思考的要点。"}
    assert "x²" in course.get("sol", "en").blocks[1].data[MARKDOWN_KEY]
    report = json.loads(report_json(collect_lessons([root])))
    assert {"type": "solution", "line": 18, "known": True, "for": "q-pick"} in report["lessons"][0]["blocks"]


def test_check_names_an_unknown_quiz_bad_keys_and_a_missing_translation(tmp_path: Path) -> None:
    root = write_course(tmp_path)
    zh = root / "zh" / "sol.md"
    text = zh.read_text(encoding="utf-8").replace("for=q-pick", "for=q-nope")
    zh.write_text(text + '\n```solution colour=red\nx\n```\n\n```solution for="unclosed\nx\n```\n', encoding="utf-8")
    problems = [str(p) for p in Course.load(root).problems]
    assert f"{zh}:18: solution is for quiz 'q-nope', but this lesson's quizzes are: q-pick" in problems
    assert any(p.startswith(f"{zh}:31: unknown key 'colour' in solution block") for p in problems)
    assert any(p.startswith(f"{zh}:35: solution block: the fence line does not parse") for p in problems)
    # zh and en must have the same blocks, solutions included, linked to the same quiz.
    assert any(p.startswith(f"{root / 'en' / 'sol.md'}:") and "expected solution 'q-nope', found solution 'q-pick'" in p for p in problems)


def test_every_worked_solution_in_the_shipped_course_is_a_solution_block(shipped_course: Path) -> None:
    course = Course.load(shipped_course)
    labels = ("参考解答", "参考思路", "Worked solution", "Our take")
    for lesson in course.lessons:
        for section in lesson.sections:
            for item in section.items:
                if isinstance(item, Prose):
                    assert not any(item.markdown.lstrip("> *").startswith(label) for label in labels), (lesson.path, item.line)
    solutions = {lang: [b for l in course.in_language(lang) for b in l.blocks if b.type == "solution"] for lang in ("zh", "en")}
    assert all(not b.problems for b in solutions["zh"] + solutions["en"])
    # A rule, not a count: a lesson has the same worked solutions in both languages, each for a quiz
    # of its own, and every chapter-3 lesson works the book's exercises with at least one.
    linked = {lang: {l.id: [str(b.data.get("for", "")) for b in l.blocks if b.type == "solution"]
                     for l in course.in_language(lang)} for lang in ("zh", "en")}
    assert linked["zh"] == linked["en"]
    for lesson in course.lessons:
        quizzes = {b.data.get("id") for b in lesson.blocks if b.type == "quiz"}
        assert all(quiz in quizzes for quiz in linked[lesson.lang][lesson.id] if quiz), lesson.path
    assert all(linked["en"].get(lesson_id) for lesson_id, _ in CHAPTER_3), linked["en"]


def text_of(widget: SolutionBlock) -> str:
    console = Console(width=90, file=io.StringIO(), record=True)
    console.print(widget.render())
    return console.export_text()


async def test_solutions_stay_folded_until_asked_and_unfold_when_their_quiz_is_settled(tmp_path: Path, isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=write_course(tmp_path), data_dir=isolated_data_dir, lang="zh", open_lesson="sol")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        linked, free = app.screen.query(SolutionBlock).results()
        assert not linked.unfolded and not free.unfolded
        assert text_of(linked).startswith("▶ 参考解答  按 Enter 展开") and "x²" not in text_of(linked)
        assert text_of(free).startswith("▶ 参考思路")
        # Asked for: Enter, Space and `s` each fold or unfold it.
        free.focus()
        await pilot.press("enter")
        assert free.unfolded and "自由思考的要点" in text_of(free) and "按 Enter 收起" in text_of(free)
        await pilot.press("s")
        assert not free.unfolded
        await pilot.press("space")
        assert free.unfolded
        # Settling the quiz (here: showing its answer) unfolds the solution written for it.
        card = app.screen.query_one(QuizCard)
        card.focus()
        await pilot.press("s")
        await pilot.pause()
        assert linked.unfolded and "答案是 x²，因为它最小。" in text_of(linked) and "print(1)" in text_of(linked)
    progress = json.loads((isolated_data_dir / "progress.json").read_text(encoding="utf-8"))
    assert progress["quizzes"]["q-pick"]["revealed"]

    # Next visit, in English: the settled quiz's solution starts unfolded; the other one folded.
    again = make_app(lessons_dir=tmp_path / "course", data_dir=isolated_data_dir, lang="en", open_lesson="sol")
    async with again.run_test(size=(60, 20)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        linked, free = again.screen.query(SolutionBlock).results()
        assert linked.unfolded and "The answer is x², the smallest." in text_of(linked)
        assert not free.unfolded and text_of(free).startswith("▶ Our take  Enter: show it")


async def test_tab_reaches_a_solution_like_any_block(tmp_path: Path, isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=write_course(tmp_path), data_dir=isolated_data_dir, lang="en", open_lesson="sol")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reached = set()
        for _ in range(6):
            await pilot.press("tab")
            reached.add(type(app.focused).__name__)
        assert "SolutionBlock" in reached


def test_a_lesson_file_with_a_broken_solution_still_loads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    path.write_text(HEADER.format(title="T") + "```solution for=missing\nbody\n```\n\nAfter.\n", encoding="utf-8")
    lesson = load_lesson(path)
    solution = lesson.blocks[0]
    assert isinstance(solution, Block) and solution.broken
    assert lesson.sections[0].items[-1].markdown == "After."
