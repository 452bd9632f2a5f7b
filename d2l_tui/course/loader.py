"""Turn one lesson file into a `Lesson`: front matter, sections, prose and interactive blocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from d2l_tui.course.directives import DIRECTIVES, KeyPath, validate_directive
from d2l_tui.course.frontmatter import FAST_SAFE_LOADER, parse_front_matter, yaml_error_offset
from d2l_tui.course.model import Block, Lesson, Problem, Prose, Section
from d2l_tui.course.prose import make_parser, math_to_markdown, prepare_lines
from d2l_tui.course.reading import (
    YAML_CONTROLS,
    UnboundedYaml,
    read_lesson_text,
    strip_yaml_controls,
)
from d2l_tui.course.solutions import parse_markdown_block, solution_links

# Fence info strings that are plain code to show, never a directive.
PLAIN_FENCES = {"", "text", "output", "console", "shell-session", "plain"}


_PARSER = make_parser()


def is_code_language(name: str) -> bool:
    """True when a fence's info names a language Pygments can highlight."""
    if name.lower() in PLAIN_FENCES:
        return True
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def _top_level_blocks(tokens: list[Token]) -> list[tuple[Token, list[Token]]]:
    """Group the token stream into top-level blocks: (opening token, all its tokens)."""
    blocks: list[tuple[Token, list[Token]]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            blocks.append((token, [token]))
        else:
            blocks[-1][1].append(token)
        depth += token.nesting
    return blocks


def _line_of_key(node: yaml.Node | None, key_path: KeyPath) -> int:
    """Find the 0-based line of a key inside a composed YAML mapping (0 when not found)."""
    for key in key_path:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, _value in node.value:
            if key_node.value == key:
                return key_node.start_mark.line
        break
    return 0


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse YAML once into both its node tree (which knows lines) and its Python value."""
    if not text.strip():
        return None, {}
    loader = FAST_SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else {}
    finally:
        loader.dispose()


def parse_block(path: Path, fence: Token, name: str) -> Block:
    """Read a directive fence: parse its YAML body and validate it against the directive's schema."""
    fence_line = (fence.map or (0, 0))[0] + 1
    block = Block(name, fence_line, {}, fence.content, known=name in DIRECTIVES)
    body_first_line = fence_line + 1
    try:
        node, data = _compose_and_load(fence.content)
    except yaml.YAMLError as error:
        line = body_first_line + yaml_error_offset(error)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        block.problems.append(Problem(path, line, f"{name} block: the YAML body does not parse: {problem}"))
        return block
    try:
        data, stripped = strip_yaml_controls(data)
    except UnboundedYaml as error:
        block.problems.append(Problem(path, fence_line, f"{name} block: {error}"))
        return block
    if stripped:
        block.problems.append(Problem(path, fence_line, f"{name} block: {YAML_CONTROLS}", "warning"))
    if isinstance(data, dict):
        block.data = data
    for key_path, message in validate_directive(name, data):
        line = body_first_line + _line_of_key(node, key_path) if key_path else fence_line
        block.problems.append(Problem(path, line, message))
    return block


def _heading_text(tokens: list[Token], lines: list[str | None]) -> str:
    """The text of a heading, with math already converted."""
    start, end = tokens[0].map or (0, 0)
    raw = " ".join(line for line in lines[start:end] if line)
    return raw.lstrip("#").strip()


def literal_emphasis(path: Path, tokens: list[Token]) -> list[Problem]:
    """Warn where `**` or `__` would be shown as typed instead of making text bold.

    CommonMark closes `**` only if the character before it is not punctuation or the one after
    it is a space or punctuation, so `**重点。**后文` stays literal: Chinese writing puts a full
    stop right there and no space after it. The fix is `**重点**。后文`.
    """
    problems = []
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            if child.type == "text" and ("**" in child.content or "__" in child.content):
                marker = "**" if "**" in child.content else "__"
                problems.append(Problem(
                    path, token.map[0] + 1,
                    f"'{marker}' will be shown as typed, not as bold: put punctuation next to the marker "
                    f"outside it (**重点**。 not **重点。**), or add a space after the closing '{marker}'",
                    severity="warning",
                ))
                break
    return problems


def too_deep(path: Path, tokens: list[Token], max_nesting: int) -> list[Problem]:
    """Report Markdown nested deeper than markdown-it keeps: it silently drops what is inside.

    Past `maxNesting` levels (20) of quotes and lists the parser skips the rest of the block, so
    an opener at the last level with anything but its own text right after it lost its content.
    """
    for index, token in enumerate(tokens):
        if token.nesting != 1 or token.level < max_nesting - 1:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.type == "inline":
            continue
        line = (token.map or (0, 0))[0] + 1
        return [Problem(path, line, f"Markdown nested more than {max_nesting} levels deep (quotes or lists): "
                                    "what is inside is not shown; nest less")]
    return []


def _directive(path: Path, fence: Token) -> Block | None:
    """The interactive block a fence stands for; None for plain code in a known language."""
    name = fence.info.strip().split(" ")[0] if fence.info.strip() else ""
    if name not in DIRECTIVES and is_code_language(name):
        return None
    if name in DIRECTIVES and DIRECTIVES[name].body == "markdown":
        return parse_markdown_block(path, fence, name)
    return parse_block(path, fence, name)


def parse_body(path: Path, text: str, lesson_title: str) -> tuple[list[Section], list[Problem], Token | None]:
    """Split a lesson body into sections of prose and blocks; also return the front matter token."""
    tokens = _PARSER.parse(text)
    lines: list[str | None] = list(text.splitlines())
    prepare_lines(lines, tokens)
    sections: list[Section] = []
    problems: list[Problem] = literal_emphasis(path, tokens) + too_deep(path, tokens, _PARSER.options["maxNesting"])
    front: Token | None = None

    def current() -> Section:
        if not sections:
            sections.append(Section(lesson_title, 1, 1))
        return sections[-1]

    for opener, group in _top_level_blocks(tokens):
        start, end = opener.map or (0, 0)
        if opener.type == "front_matter":
            front = opener
            continue
        if opener.type == "heading_open" and opener.tag in ("h1", "h2"):
            sections.append(Section(_heading_text(group, lines), int(opener.tag[1]), start + 1))
            continue
        block = _directive(path, opener) if opener.type == "fence" else None
        if block is not None:
            problems.extend(block.problems)
            current().items.append(block)
            continue
        if opener.type.startswith("math_block"):
            markdown = math_to_markdown(opener.content)
        else:
            markdown = "\n".join(line for line in lines[start:end] if line is not None).rstrip()
        if markdown.strip():
            current().items.append(Prose(markdown, start + 1, opener.type))
    return sections, problems, front


def _header_parser() -> MarkdownIt:
    """A parser that only finds the front matter: reading a course's headers stays cheap."""
    md = MarkdownIt("zero")
    front_matter_plugin(md)
    return md


_HEADER_PARSER = _header_parser()


def _front_matter_token(text: str, head_lines: int = 64) -> Token | None:
    """Find the front matter, parsing only the file's head when the front matter ends there.

    Reading the headers of a whole course at start-up should not parse every lesson's body.
    """
    lines = text.splitlines(keepends=True)
    front = None
    for chunk in ("".join(lines[:head_lines]), text):
        front = next((t for t in _HEADER_PARSER.parse(chunk) if t.type == "front_matter"), None)
        # Front matter that does not close within the head is not found there: try the whole file.
        if front is not None or len(lines) <= head_lines:
            return front
    return front


def _read(lesson: Lesson) -> str | None:
    """Read a lesson's file (see `reading`), recording its problems instead of raising.

    A body read after the header read reports only what the header's read did not already say.
    """
    text, problems = read_lesson_text(lesson.path)
    lesson.problems.extend(p for p in problems if p not in lesson.problems)
    return text


LESSON_ID = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
"""Letters, digits and '-': ids name progress entries and `--open` arguments."""


def _key_line(front: Token | None, key: str, first_line: int) -> int:
    """The file line of a front matter key (the opening '---' when the key is not there)."""
    lines = front.content.splitlines() if front is not None else []
    found = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    return first_line + found if found is not None else max(first_line - 1, 1)


def _id_problem(lesson: Lesson, line: int) -> list[Problem]:
    """An id that is not letters, digits and '-' is reported (the lesson still loads)."""
    if LESSON_ID.fullmatch(lesson.id):
        return []
    return [Problem(lesson.path, line, f"lesson id '{lesson.id}' may only hold letters, digits and '-' (such as 'linear-algebra')")]


def load_lesson(path: Path, lang: str | None = None, body: bool = True) -> Lesson:
    """Load one lesson file (its header, and its body unless `body` is False); never raises."""
    path = Path(path)
    lang = lang or (path.parent.name if path.parent.name in ("zh", "en") else "zh")
    lesson = Lesson(id=path.stem, lang=lang, title=path.stem, order=float("inf"), path=path)
    text = _read(lesson)
    if text is None:
        lesson.body_loaded = True
        return lesson
    front = _front_matter_token(text)
    first_line = (front.map[0] + 2) if front is not None and front.map else 1
    header = parse_front_matter(path, front.content if front is not None else None, first_line)
    values = header.values
    lesson.id = values.get("id") or lesson.id
    lesson.title = values.get("title") or lesson.title
    lesson.order = values.get("order", lesson.order)
    lesson.lang = values.get("lang", lang)
    lesson.summary = values.get("summary", "")
    lesson.requires = values.get("requires", [])
    lesson.minutes = values.get("minutes")
    lesson.replaces = values.get("replaces", [])
    lesson.problems.extend(header.problems)
    lesson.problems.extend(_id_problem(lesson, _key_line(front, "id", first_line)))
    if body:
        load_body(lesson, text)
    return lesson


def load_body(lesson: Lesson, text: str | None = None) -> Lesson:
    """Parse a lesson's sections and blocks, once; their problems join the lesson's."""
    if lesson.body_loaded:
        return lesson
    text = text if text is not None else _read(lesson)
    if text is not None:
        sections, body_problems, _front = parse_body(lesson.path, text, lesson.title)
        lesson.sections = sections
        lesson.problems.extend(body_problems)
        lesson.problems.extend(_panel_links(lesson))
        lesson.problems.extend(solution_links(lesson))
    lesson.body_loaded = True
    return lesson


MEASURED_BY = {"test_acc": ("softmax", "mlp"), "test_loss": ("softmax", "mlp", "poly", "high-dim")}
"""The panel models whose runs measure what a predict outcome's threshold is about (others never settle it)."""


def _panel_links(lesson: Lesson) -> list[Problem]:
    """A quiz that names a training panel (a predict quiz) must name one in its own lesson, of a model
    that measures what its outcomes are about."""
    panels = {b.data.get("id"): b for b in lesson.blocks if b.type == "train"}
    problems = []
    for block in lesson.blocks:
        panel = block.data.get("panel") if block.type == "quiz" else None
        if not isinstance(panel, str):
            continue
        if panel not in panels:
            have = ", ".join(sorted(str(p) for p in panels if p)) or "none with an id"
            message: str | None = f"quiz names panel '{panel}', but this lesson's train blocks are: {have}"
        else:
            message = _unmeasured(block.data.get("options"), panels[panel].data.get("model", "linear-regression"))
        if message:
            problem = Problem(lesson.path, block.line, message)
            block.problems.append(problem)
            problems.append(problem)
    return problems


def _unmeasured(options: object, model: object) -> str | None:
    """Say which option asks about a measure that a `model` panel's run does not take, or None."""
    for number, option in enumerate(options if isinstance(options, list) else [], 1):
        outcome = option.get("outcome") if isinstance(option, dict) else None
        for name in outcome if isinstance(outcome, dict) else ():
            measure = str(name).rsplit("_", 1)[0]
            if measure in MEASURED_BY and model not in MEASURED_BY[measure]:
                return (f"option {number}: '{name}' needs a panel that measures {measure.replace('_', ' ')} "
                        f"(model: {' / '.join(MEASURED_BY[measure])}), but panel is model: {model}")
    return None
