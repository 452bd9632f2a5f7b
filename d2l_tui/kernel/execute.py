"""Run one cell the way a notebook does: its statements, then its last expression's value."""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
import re
import sys
import tokenize
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import Any, ContextManager

from d2l_tui.kernel.capture import BoundedOutput
from d2l_tui.kernel.magics import (
    HELPER,
    Helpers,
    MagicRefused,
    Rewritten,
    cell_timeit_args,
    rewrite,
)
from d2l_tui.kernel.values import to_value_data, value_to_wire

# Tracebacks keep only frames from files named like this: the learner's own cells.
CELL_PREFIX = "<cell"
# MXNet 1.9 puts its C++ location into the message; these lines mean nothing to a learner.
_MXNET_NOISE = re.compile(r"\s*(\[bt\]|Stack trace:|Traceback \(most recent|File \"\.\./)")
_SKIPPED_TOKENS = {tokenize.ENDMARKER, tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT,
                   tokenize.INDENT, tokenize.DEDENT}


@dataclass
class CellOutcome:
    """What running a cell produced, apart from its printed output."""

    status: str
    """'ok', 'error' or 'interrupted'."""
    value_repr: str | None = None
    value: dict[str, Any] | None = None
    """The last expression's value as wire data (see `values.value_to_wire`), if asked for."""
    error: str | None = None
    missing_name: str | None = None
    """For a NameError: the name that is not defined."""
    missing_module: str | None = None
    """For a ModuleNotFoundError: the top-level module that is not installed."""
    notes: list[str] | None = None
    """Magics that did nothing here, e.g. ['%matplotlib inline'] (see `magics`), for the UI to word."""


def cell_filename(label: int | str) -> str:
    """Return the pseudo-filename of a cell, e.g. `<cell 3>`."""
    return f"{CELL_PREFIX} {label}>"


def register_source(filename: str, source: str) -> None:
    """Let tracebacks and `inspect` find the cell's lines, as IPython does."""
    # mtime None marks the entry as not on disk, so linecache.checkcache() keeps it.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def split_cell(source: str, filename: str) -> tuple[CodeType, CodeType | None]:
    """Compile the cell's statements and, separately, its last expression (if it ends in one)."""
    tree = ast.parse(source, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body[-1].value)
        tree.body.pop()
    body = compile(tree, filename, "exec", dont_inherit=True)
    expr = compile(last, filename, "eval", dont_inherit=True) if last is not None else None
    return body, expr


def ends_with_semicolon(source: str) -> bool:
    """True when the last code token is `;`, which hides the value as in Jupyter."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    for token in reversed(tokens):
        if token.type not in _SKIPPED_TOKENS:
            return token.string == ";"
    return False


def clean_mxnet_message(message: str) -> str:
    """Keep the part of an MXNetError message that explains the problem."""
    message = message.rsplit("MXNetError: ", 1)[-1]
    return "\n".join(line for line in message.splitlines() if not _MXNET_NOISE.match(line)).strip()


def format_error(error: BaseException) -> str:
    """Format `error` as a traceback of the learner's own lines only."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [frame for frame in frames if frame.filename.startswith(CELL_PREFIX)]
    parts = ["Traceback (most recent call last):\n", *traceback.format_list(mine)] if mine else []
    if type(error).__name__ == "MXNetError":
        parts.append(f"MXNetError: {clean_mxnet_message(str(error))}\n")
    else:
        parts.extend(traceback.format_exception_only(type(error), error))
    return "".join(parts)


def error_outcome(
    error: BaseException, import_help: Callable[[ImportError], str] | None = None
) -> CellOutcome:
    """An 'error' outcome: the short traceback, and as data the name or module that is missing.

    `import_help` may add words to a failed import (the kernel says why MXNet is unavailable).
    """
    outcome = CellOutcome("error", error=format_error(error))
    # An UnboundLocalError is about a function's own variable, not an earlier cell's.
    if isinstance(error, NameError) and not isinstance(error, UnboundLocalError):
        outcome.missing_name = error.name
    if isinstance(error, ModuleNotFoundError) and error.name:
        outcome.missing_module = error.name.split(".")[0]
    if isinstance(error, ImportError) and import_help is not None:
        outcome.error = (outcome.error or "") + import_help(error)
    return outcome


def limited_repr(obj: Any, max_chars: int, max_lines: int) -> str:
    """Return repr(obj), cut with a note when longer than the output limits."""
    out = BoundedOutput(max_chars, max_lines)
    out.write(repr(obj))
    return out.getvalue()


def run_cell(
    source: str,
    namespace: dict[str, Any],
    filename: str,
    *,
    want_value: bool = False,
    guard: Callable[[], ContextManager[object]] = contextlib.nullcontext,
    limits: tuple[int, int] = (200_000, 10_000),
    import_help: Callable[[ImportError], str] | None = None,
) -> CellOutcome:
    """Run `source` in `namespace`; `guard` is entered around the learner's code (the kernel
    uses it to allow interrupts only there), `import_help` explains failed imports (see
    `error_outcome`). IPython magics are rewritten first (see `magics`). Never raises for the
    learner's mistakes."""
    register_source(filename, source)
    try:
        cell = rewrite(source)
    except MagicRefused as error:  # nothing of the cell runs
        return CellOutcome("error", error=f"{error}\n")
    if cell.cell_magic == "timeit":
        return _run_timeit(cell, namespace, filename, guard, import_help)
    try:
        body, expr = split_cell(cell.source, filename)
    except (SyntaxError, ValueError) as error:  # ValueError: source with NUL bytes
        return CellOutcome("error", error=format_error(error))
    outcome = CellOutcome("ok", notes=cell.notes or None)
    helpers = Helpers(lambda text: sys.stdout.write(text))
    timing = helpers.timing if cell.cell_magic == "time" else contextlib.nullcontext
    namespace[HELPER] = helpers
    try:
        with guard(), timing():
            exec(body, namespace)
            if expr is not None:
                result = eval(expr, namespace)
                if result is not None:
                    namespace["_"] = result
                    if not ends_with_semicolon(source):
                        outcome.value_repr = limited_repr(result, *limits)
                if want_value:
                    outcome.value = value_to_wire(to_value_data(result))
    except KeyboardInterrupt as error:
        return CellOutcome("interrupted", error=format_error(error))
    except BaseException as error:  # noqa: BLE001 - SystemExit too: a cell must not end the kernel
        return error_outcome(error, import_help)
    finally:
        namespace.pop(HELPER, None)
    return outcome


def _run_timeit(
    cell: Rewritten,
    namespace: dict[str, Any],
    filename: str,
    guard: Callable[[], ContextManager[object]],
    import_help: Callable[[ImportError], str] | None,
) -> CellOutcome:
    """A `%%timeit` cell: its first line's setup once, then its body timed in loops, no value shown."""
    try:
        options, setup = cell_timeit_args(cell.cell_args)
        compile(cell.source, filename, "exec", dont_inherit=True)
    except MagicRefused as error:
        return CellOutcome("error", error=f"{error}\n")
    except (SyntaxError, ValueError) as error:
        return CellOutcome("error", error=format_error(error))
    helpers = Helpers(lambda text: sys.stdout.write(text))
    namespace[HELPER] = helpers
    try:
        with guard():
            helpers.timeit(cell.source, setup, namespace, options, filename)
    except KeyboardInterrupt as error:
        return CellOutcome("interrupted", error=format_error(error))
    except BaseException as error:  # noqa: BLE001 - as in run_cell
        return error_outcome(error, import_help)
    finally:
        namespace.pop(HELPER, None)
    return CellOutcome("ok", notes=cell.notes or None)
