"""A TextArea for Python: highlighting (tree-sitter, else Pygments), auto-indent, dedent."""

from __future__ import annotations

from pygments.lexers.python import PythonLexer
from pygments.token import Token, _TokenType
from textual import events
from textual.binding import Binding
from textual._tree_sitter import TREE_SITTER, get_language
from textual.widgets import TextArea

TREE_SITTER_PYTHON = bool(TREE_SITTER and get_language("python"))
"""True when Textual can highlight Python itself (`pip install 'textual[syntax]'`)."""

# Pygments token types, most specific first, and the TextArea theme style each one takes.
_STYLE_OF_TOKEN: list[tuple[_TokenType, str]] = [
    (Token.Comment, "comment"),
    (Token.Literal.String.Doc, "string.documentation"),
    (Token.Literal.String, "string"),
    (Token.Literal.Number.Float, "float"),
    (Token.Literal.Number, "number"),
    (Token.Keyword.Constant, "constant.builtin"),
    (Token.Keyword.Namespace, "include"),
    (Token.Keyword, "keyword"),
    (Token.Operator.Word, "keyword.operator"),
    (Token.Operator, "operator"),
    (Token.Name.Builtin.Pseudo, "variable.builtin"),
    (Token.Name.Builtin, "function.call"),
    (Token.Name.Function, "function"),
    (Token.Name.Class, "class"),
    (Token.Name.Decorator, "function"),
    (Token.Name.Exception, "type.builtin"),
]
_INDENT = 4


def _style_of(token: _TokenType) -> str | None:
    return next((name for kind, name in _STYLE_OF_TOKEN if token in kind), None)


def pygments_highlights(text: str) -> dict[int, list[tuple[int, int | None, str]]]:
    """Highlights in TextArea's form: per line, (start byte, end byte, style name)."""
    lexer = PythonLexer(stripnl=False, ensurenl=False)  # keep line numbers exact
    highlights: dict[int, list[tuple[int, int | None, str]]] = {}
    row, column = 0, 0  # column in UTF-8 bytes, as TextArea counts
    for token, value in lexer.get_tokens(text):
        name = _style_of(token)
        for index, piece in enumerate(value.split("\n")):
            if index:
                row, column = row + 1, 0
            width = len(piece.encode("utf-8"))
            if name and width:
                highlights.setdefault(row, []).append((column, column + width, name))
            column += width
    return highlights


class PythonEditor(TextArea):
    """Edits Python: Enter keeps (or after `:` adds) indentation, Backspace removes one level.

    Ctrl+A selects all, as in most editors (TextArea's own Ctrl+A goes to the line start; Home does that too).
    """

    BINDINGS = [Binding("ctrl+a", "select_all", "Select all", show=False, id="editor-select-all")]

    def _build_highlight_map(self) -> None:
        # Textual highlights with tree-sitter when it is installed; without it (the default
        # install) this fills the same per-line map from Pygments, which rich already brings.
        if TREE_SITTER_PYTHON:
            super()._build_highlight_map()
            return
        self._line_cache.clear()
        self._highlights.clear()
        self._highlights.update(pygments_highlights(self.text))

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter" or self.read_only:
            return  # TextArea's own handler runs next
        event.stop()
        event.prevent_default()
        row, column = self.cursor_location
        before = self.document[row][:column]
        indent = len(before) - len(before.lstrip(" "))
        if before.rstrip().endswith(":"):
            indent += _INDENT
        start, end = self.selection
        self._replace_via_keyboard("\n" + " " * indent, start, end)

    def action_delete_left(self) -> None:
        """In leading spaces, delete back to the previous indentation level."""
        start, end = self.selection
        row, column = end
        before = self.document[row][:column]
        if start == end and before and not before.strip(" "):
            width = (column - 1) % _INDENT + 1
            self._delete_via_keyboard((row, column - width), end)
            return
        super().action_delete_left()
