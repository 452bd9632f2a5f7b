"""The IPython magics the book's code opens with, turned into plain Python before a cell compiles.

`%matplotlib inline` does nothing (with a note); `%time`, `%timeit`, `%%time` and `%%timeit` time
code as IPython does and print the same lines. Any other `%magic` and every `!shell` line are
refused with a message before anything runs: no shell command ever runs from a cell.
Only a cell that is not valid Python is looked at, so `a = (b\n% c)` stays a modulo.
"""

from __future__ import annotations

import ast
import os
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

HELPER = "__d2l_magics__"
"""The name the rewritten lines call; put in the namespace while the cell runs."""
KNOWN = ("%matplotlib", "%time", "%timeit", "%%time", "%%timeit")
_MAGIC_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<sigil>%%|%|!)(?P<rest>.*)$")
TIMEIT_RUNS = 7
TIMEIT_TARGET_S = 0.2
"""Like IPython, `%timeit` picks loops per run (1, 10, 100, ...) so one run takes at least this."""


class MagicRefused(Exception):
    """A magic or shell line that cells do not run; the message says which and why."""


@dataclass
class Rewritten:
    """A cell with its magics turned into Python, line for line (tracebacks keep their numbers)."""

    source: str
    cell_magic: str | None = None
    """'time' or 'timeit' when the cell started with `%%time` or `%%timeit`."""
    cell_args: str = ""
    notes: list[str] = field(default_factory=list)
    """The magics that did nothing, e.g. ['%matplotlib inline'], for the UI to word."""


def is_python(source: str) -> bool:
    """True when the cell compiles as it is (then it has no magics to rewrite)."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


def rewrite(source: str) -> Rewritten:
    """Turn the magics of a cell that is not valid Python into calls; raise MagicRefused for others."""
    if is_python(source):
        return Rewritten(source)
    lines = source.split("\n")
    result = Rewritten(source)
    first = _MAGIC_LINE.match(lines[0]) if lines else None
    if first and first["sigil"] == "%%" and not first["indent"]:
        name, _, args = first["rest"].partition(" ")
        if name not in ("time", "timeit"):
            raise MagicRefused(_refusal("%%" + name))
        result.cell_magic, result.cell_args = name, args.strip()
        lines[0] = ""
    for index, line in enumerate(lines):
        match = _MAGIC_LINE.match(line)
        if match is None or index == 0 and result.cell_magic:
            continue
        lines[index] = _line_magic(match, result.notes)
    result.source = "\n".join(lines)
    return result


def _line_magic(match: re.Match[str], notes: list[str]) -> str:
    indent, sigil, rest = match["indent"], match["sigil"], match["rest"]
    if sigil == "!":
        raise MagicRefused(
            f"!{rest.strip()}\nShell commands (lines starting with !) do not run in d2l-tui cells; "
            "run this in a terminal instead."
        )
    name, _, args = rest.partition(" ")
    args = args.strip()
    if sigil == "%%":
        raise MagicRefused(_refusal("%%" + name) + " (a cell magic must be the cell's first line)")
    if name == "matplotlib":
        notes.append(f"%matplotlib {args}".strip())
        return f"{indent}{HELPER}.note({f'%matplotlib {args}'.strip()!r})"
    if name == "time" and args:
        return f"{indent}{_time_line(args)}"
    if name == "timeit" and args:
        return f"{indent}{HELPER}.timeit_line({args!r}, globals())"  # globals(): the cell's namespace
    raise MagicRefused(_refusal("%" + name))


def _time_line(statement: str) -> str:
    """`%time expr` keeps the value (a last line shows it); `%time x = f()` times the statement."""
    try:
        ast.parse(statement, mode="eval")
    except SyntaxError:
        return f"with {HELPER}.timing(): {statement}"
    return f"{HELPER}.timed(lambda: ({statement}))"


def _refusal(magic: str) -> str:
    return (
        f"UsageError: {magic} is an IPython magic that d2l-tui cells do not run. "
        f"They run only: {', '.join(KNOWN)}."
    )


def _duration(seconds: float) -> str:
    """Seconds as IPython writes them: 1.23 s, 45.6 ms, 7.89 µs, 120 ns."""
    if seconds <= 0:
        return "0 ns"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


class Helpers:
    """What the rewritten lines call, printing to the cell's output as IPython does."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write

    def note(self, magic: str) -> None:
        """A magic with nothing to do here (plots are drawn by d2l-tui)."""
        self.write(f"{magic} ✔\n")

    @contextmanager
    def timing(self) -> Iterator[None]:
        """Time the code inside; print CPU and wall time when it ends (even by an error)."""
        before, wall = os.times(), time.perf_counter()
        try:
            yield
        finally:
            after, wall_s = os.times(), time.perf_counter() - wall
            user, system = after.user - before.user, after.system - before.system
            self.write(
                f"CPU times: user {_duration(user)}, sys: {_duration(system)}, "
                f"total: {_duration(user + system)}\nWall time: {_duration(wall_s)}\n"
            )

    def timed(self, compute: Callable[[], Any]) -> Any:
        """Time `compute()` and return its value."""
        with self.timing():
            return compute()

    def timeit_line(self, args: str, namespace: dict[str, Any]) -> None:
        """`%timeit [-n N] [-r R] statement`."""
        options, statement = _timeit_options(args)
        self.timeit(statement, "", namespace, options)

    def timeit(
        self, body: str, setup: str, namespace: dict[str, Any], options: dict[str, int] | None = None,
        filename: str = "<cell>",
    ) -> None:
        """Run `setup` once, then `body` in runs of loops; print mean ± std. dev. per loop."""
        options = options or {}
        code = compile(body, filename, "exec")
        if setup:
            exec(compile(setup, filename, "exec"), namespace)
        loops = options.get("n") or _auto_loops(code, namespace)
        runs = options.get("r") or TIMEIT_RUNS
        per_loop = [_one_run(code, namespace, loops) / loops for _ in range(runs)]
        mean = statistics.fmean(per_loop)
        spread = statistics.stdev(per_loop) if runs > 1 else 0.0
        self.write(
            f"{_duration(mean)} ± {_duration(spread)} per loop (mean ± std. dev. of {runs} run"
            f"{'s' if runs > 1 else ''}, {loops:,} loop{'s' if loops > 1 else ''} each)\n"
        )


_TIMEIT_OPTION = re.compile(r"\s*-(?P<name>[nr])\s+(?P<value>[1-9][0-9]*)")


def _timeit_options(args: str) -> tuple[dict[str, int], str]:
    """Split `-n 10 -r 3 f(x)` into ({'n': 10, 'r': 3}, 'f(x)')."""
    options: dict[str, int] = {}
    rest = args
    while (match := _TIMEIT_OPTION.match(rest)) is not None:
        options[match["name"]] = int(match["value"])
        rest = rest[match.end():]
    rest = rest.strip()
    if rest.startswith("-") and not _is_code(rest):
        raise MagicRefused(f"UsageError: %timeit takes only -n N and -r R, not {rest.split()[0]}")
    return options, rest


def _is_code(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _one_run(code: Any, namespace: dict[str, Any], loops: int) -> float:
    started = time.perf_counter()
    for _ in range(loops):
        exec(code, namespace)
    return time.perf_counter() - started


def _auto_loops(code: Any, namespace: dict[str, Any]) -> int:
    """1, 10, 100, ... loops: the first count whose run takes TIMEIT_TARGET_S or more."""
    loops = 1
    while loops < 10**7:
        if _one_run(code, namespace, loops) >= TIMEIT_TARGET_S:
            return loops
        loops *= 10
    return loops


def cell_timeit_args(args: str) -> tuple[dict[str, int], str]:
    """`%%timeit -n 10 setup_statement`: the options and the setup statement."""
    return _timeit_options(args)
