"""The lesson loader on real lesson files: front matter, sections, prose, directives, problems."""

from __future__ import annotations

from pathlib import Path

from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Block, Prose
from d2l_tui.course.prose import prepare_markdown


def write(tmp_path: Path, text: str, name: str = "lesson.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_course_loads_clean_in_both_languages(shipped_course: Path) -> None:
    course = Course.load(shipped_course)
    assert course.problems == []
    assert course.languages == ["zh", "en"]
    zh_ids = [lesson.id for lesson in course.in_language("zh")]
    assert zh_ids == [lesson.id for lesson in course.in_language("en")]
    assert zh_ids[:2] == ["preface", "environment"]
    for lesson in course.lessons:
        assert len(lesson.sections) >= 3, lesson.path
        assert lesson.blocks, f"{lesson.path} has no interactive block"


def test_front_matter_and_sections(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "---\nid: demo\ntitle: 演示\norder: 2.5\nrequires: [intro]\nminutes: 5\n---\n\n"
        "开头的段落。\n\n# 第一节\n\n段落一。\n\n### 小标题\n\n段落二。\n\n## 第二节\n\n- 列表\n",
    )
    lesson = load_lesson(path, "zh")
    assert (lesson.id, lesson.title, lesson.order, lesson.requires, lesson.minutes) == ("demo", "演示", 2.5, ["intro"], 5)
    assert [s.title for s in lesson.sections] == ["演示", "第一节", "第二节"]
    first_section_kinds = [item.kind for item in lesson.sections[1].items if isinstance(item, Prose)]
    assert first_section_kinds == ["paragraph_open", "heading_open", "paragraph_open"]
    assert lesson.sections[1].line == 11
    assert lesson.problems == []


def test_chinese_line_breaks_are_joined_but_english_ones_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nid: a\ntitle: a\norder: 1\n---\n第一行\n第二行\n\nfirst line\nsecond line\n")
    prose = [item.markdown for item in load_lesson(path).sections[0].items]
    assert prose == ["第一行第二行", "first line\nsecond line"]


def test_breaks_next_to_chinese_punctuation_vanish_but_mixed_words_keep_a_space(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nid: a\ntitle: a\norder: 1\n---\n运行 d2l-tui。\nd2l-tui 会检查环境，\n然后说“你好\n”。再用\nMXNet 写代码\n")
    assert load_lesson(path).sections[0].items[0].markdown == "运行 d2l-tui。d2l-tui 会检查环境，然后说“你好”。再用\nMXNet 写代码"


def test_chinese_blockquote_lines_join_without_their_markers(tmp_path: Path) -> None:
    path = write(tmp_path, "---\nid: a\ntitle: a\norder: 1\n---\n> 参考解答：把 X == Y 换成 X < Y，\n> 结果里 1 表示成立。\n")
    assert load_lesson(path).sections[0].items[0].markdown == "> 参考解答：把 X == Y 换成 X < Y，结果里 1 表示成立。"


def test_inline_and_display_math_become_unicode(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "---\nid: a\ntitle: a\norder: 1\n---\n范数 $\\|\\mathbf{x}\\|_2 = \\sqrt{\\sum_i x_i^2}$ 很常用。\n\n$$\n\\hat{y} = \\frac{1}{2}\n$$\n\n价格 \\$5 和 \\$6 不是公式。\n\n$x_1$ 乘 2\n",
    )
    items = load_lesson(path).sections[0].items
    # Inline math keeps its spaces as no-break spaces, so it never wraps mid-formula.
    assert "‖𝐱‖₂\u00a0=\u00a0√(∑ᵢ\u00a0xᵢ²)" in items[0].markdown
    assert items[1].kind == "math_block"
    assert items[1].markdown == "y\u0302 = 1/2"
    assert items[2].markdown == "价格 \\$5 和 \\$6 不是公式。"
    # A paragraph that starts with math and ends with a digit keeps its math.
    assert items[3].markdown == "x₁ 乘 2"


def test_math_output_is_escaped_for_markdown(tmp_path: Path) -> None:
    # A star or underscore produced by math must not turn the rest of the paragraph italic.
    text = prepare_markdown("a $x^*$ b $y_{*}$ c")
    assert "\\*" in text


def test_directives_parse_with_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "---\nid: a\ntitle: a\norder: 1\n---\n\n```quiz\nid: q\nkind: choice\nprompt: 问题？\noptions: [甲, 乙]\nanswer: 1\nexplain: 乙是对的。\n```\n\n```python\nprint(1)\n```\n",
    )
    items = load_lesson(path).sections[0].items
    block = items[0]
    assert isinstance(block, Block) and block.type == "quiz" and block.line == 7
    assert block.data["options"] == ["甲", "乙"] and not block.problems
    assert isinstance(items[1], Prose) and items[1].kind == "fence"


def test_broken_blocks_are_located_and_the_rest_survives(broken_course: Path) -> None:
    lesson = load_lesson(broken_course / "zh" / "bad-blocks.md")
    messages = {(p.line, p.message) for p in lesson.problems}
    assert any(line == 14 and "does not parse" in message for line, message in messages)
    assert any(line == 17 and message.startswith("unknown directive 'hologram' (this version knows: code,") for line, message in messages)
    assert any(line == 24 and "did you mean 'prompt'" in message for line, message in messages)
    assert any(line == 21 and "missing required key 'prompt'" in message for line, message in messages)
    prose = [item.markdown for s in lesson.sections for item in s.items if isinstance(item, Prose)]
    assert prose == ["前面的段落正常显示。", "后面的段落也正常显示。"]
    code_block = [b for b in lesson.blocks if b.type == "code"][0]
    assert not code_block.broken


def test_front_matter_problems(broken_course: Path) -> None:
    bad_yaml = load_lesson(broken_course / "zh" / "bad-yaml.md")
    assert [p.line for p in bad_yaml.errors] == [3]
    assert "not valid YAML" in bad_yaml.errors[0].message
    assert bad_yaml.sections[0].items, "the body is still shown"
    no_front = load_lesson(broken_course / "zh" / "no-front.md")
    assert no_front.errors[0].line == 1 and "missing front matter" in no_front.errors[0].message
    missing = load_lesson(broken_course / "zh" / "missing-keys.md")
    messages = [p.message for p in missing.errors]
    assert "front matter is missing required key 'title'" in messages
    assert "front matter is missing required key 'order'" in messages
    assert "front matter 'minutes' must be a whole number, not 'ten'" in messages


def test_course_wide_checks(broken_course: Path) -> None:
    course = Course.load(broken_course)
    messages = [str(p) for p in course.problems]
    assert any("duplicate lesson id 'good'" in m and m.startswith(str(broken_course / "zh" / "dup.md")) for m in messages)
    assert any("has no English counterpart" in m for m in messages)
    good = course.get("good", "zh")
    assert good is not None and not good.broken


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "binary.md"
    path.write_bytes(b"\xff\xfe\x00bad")
    lesson = load_lesson(path)
    assert lesson.broken and "cannot read lesson" in lesson.errors[0].message


def test_long_front_matter_is_read_whole(tmp_path: Path) -> None:
    summary = "".join(f"  line {n}\n" for n in range(80))
    path = write(tmp_path, f"---\nid: long\ntitle: Long\nsummary: |\n{summary}order: 7\n---\n\nBody.\n")
    lesson = load_lesson(path, body=False)
    assert (lesson.id, lesson.order, lesson.problems) == ("long", 7, [])
    assert lesson.summary.count("line") == 80


def test_bold_that_commonmark_would_show_as_typed_is_a_warning_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "zh" / "bold.md"
    path.parent.mkdir()
    path.write_text(
        "---\nid: bold\ntitle: 粗体\norder: 1\n---\n\n"
        "**在预算内买最新的一代**。这一句没问题。\n\n"
        "**显存至少 4 GB。**这一句的星号会原样显示。\n\n"
        "`**` 在代码里不算。\n",
        encoding="utf-8",
    )
    lesson = load_lesson(path)
    warnings = [p for p in lesson.problems if "shown as typed" in p.message]
    assert [(p.line, p.severity) for p in warnings] == [(9, "warning")]
    assert not lesson.broken
