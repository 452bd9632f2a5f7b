"""Prepare lesson Markdown for a terminal: math as Unicode, Chinese line breaks joined.

Works on the source lines, guided by markdown-it tokens (which know where each inline run
and each `$…$` is), so the Markdown itself is never re-parsed by hand.
"""

from __future__ import annotations

import functools
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from d2l_tui.course.mathtext import latex_to_unicode

# Characters that would change the meaning of the surrounding Markdown if math produced them.
_MARKDOWN_SPECIALS = set("\\`*_[]<>|~#$")


def escape_markdown(text: str) -> str:
    """Backslash-escape the characters Markdown would treat as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)


NO_BREAK_SPACE = "\u00a0"


def math_to_markdown(latex: str, inline: bool = False) -> str:
    """Render LaTeX as Unicode text that is safe to put inside Markdown.

    Inline math keeps its spaces as no-break spaces, so a formula is never split across lines
    (the app's wrapping treats them as part of a word, see ui/cjk_wrap.py).
    """
    text = escape_markdown(latex_to_unicode(latex.strip()))
    return text.replace(" ", NO_BREAK_SPACE) if inline else text


def is_cjk(ch: str) -> bool:
    """True for Chinese, Japanese and Korean characters and full-width punctuation."""
    if not ch:
        return False
    return unicodedata.east_asian_width(ch) in ("W", "F")


# Curly quotes are "ambiguous width" in Unicode; beside Chinese they behave as Chinese punctuation.
_CJK_QUOTES = set("“”‘’")


def is_cjk_punctuation(ch: str) -> bool:
    """True for full-width punctuation such as ，。：（）《》."""
    return is_cjk(ch) and unicodedata.category(ch).startswith("P")


def joins_without_space(before: str, after: str) -> bool:
    """Whether a line break between these two characters should vanish rather than become a space.

    Between Chinese characters, and next to Chinese punctuation, a space would be a visible gap;
    between a Chinese word and an English one, the space is the usual mixed-text style and stays.
    """
    if is_cjk(before) and is_cjk(after):
        return True
    if is_cjk_punctuation(before) or is_cjk_punctuation(after):
        return True
    return (before in _CJK_QUOTES and is_cjk(after)) or (after in _CJK_QUOTES and is_cjk(before))


def _replace_inline_math(lines: list[str | None], inline: Token) -> None:
    """Replace each `$…$` of one inline run, in order, on the run's source lines."""
    start, end = inline.map or (0, 0)
    row, col = start, 0
    for child in inline.children or []:
        if not child.type.startswith("math_inline"):
            continue
        needle = f"{child.markup}{child.content}{child.markup}"
        while row < end:
            text = lines[row]
            found = text.find(needle, col) if text is not None else -1
            if text is not None and found >= 0:
                lines[row] = text[:found] + math_to_markdown(child.content, inline=True) + text[found + len(needle):]
                col = found + 1
                break
            row, col = row + 1, 0
        # Math split across lines stays as typed: still readable, never lost.


def _after_quote_markers(line: str) -> str:
    """A line's text after its indentation and any blockquote '>' markers."""
    text = line.lstrip()
    while text.startswith(">"):
        text = text[1:].lstrip()
    return text


def _join_cjk_breaks(lines: list[str | None], inline: Token) -> None:
    """Join a line break between two CJK characters, which Markdown would render as a space."""
    start, end = inline.map or (0, 0)
    target = start
    for row in range(start + 1, end):
        here, below = lines[target], lines[row]
        if here is None or below is None:
            target = row if here is None else target
            continue
        # Inside a blockquote the next line starts with its '>' marker: the text follows it, and
        # a lazy continuation line without the marker means the same to Markdown.
        head, tail = here.rstrip(), _after_quote_markers(below)
        hard_break = here.endswith("  ") or here.endswith("\\")
        if head and tail and not hard_break and joins_without_space(head[-1], tail[0]):
            lines[target] = head + tail
            lines[row] = None
        else:
            target = row


def prepare_lines(lines: list[str | None], tokens: list[Token]) -> None:
    """Rewrite the source lines in place for every inline run in the token stream."""
    for token in tokens:
        if token.type == "inline" and token.map:
            _replace_inline_math(lines, token)
            _join_cjk_breaks(lines, token)


def make_parser() -> MarkdownIt:
    """Build the Markdown parser every lesson goes through."""
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    front_matter_plugin(md)
    # Digits next to `$` are allowed: with allow_digits=False the plugin reads the character
    # before a `$` at position 0 as src[-1], the run's last one, so a table cell or paragraph that
    # starts with math and ends with a digit lost its math. Write a literal dollar as `\$`.
    dollarmath_plugin(md, allow_digits=True)
    return md


@functools.cache
def shared_parser() -> MarkdownIt:
    """One parser for every snippet (built on first use: a start-up from the cache needs none)."""
    return make_parser()


def prepare_markdown(text: str) -> str:
    """Prepare a Markdown snippet from a directive (a quiz prompt, say) the way lesson prose is."""
    lines: list[str | None] = list(text.splitlines())
    tokens = shared_parser().parse(text)
    prepare_lines(lines, tokens)
    _replace_display_math(lines, tokens)
    return "\n".join(line for line in lines if line is not None)


def _replace_display_math(lines: list[str | None], tokens: list[Token]) -> None:
    """Turn a snippet's `$$` blocks (a worked solution's) into Unicode text, as lesson prose does."""
    for token in tokens:
        if token.type.startswith("math_block") and token.map:
            start, end = token.map
            lines[start] = math_to_markdown(token.content)
            lines[start + 1:end] = [None] * (end - start - 1)
