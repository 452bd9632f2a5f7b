"""What `Kernel.run` returns: the cell's output, value, error or the kernel's fate, as data."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from enum import Enum
from typing import Any

from d2l_tui.kernel.clean import clean_output, clean_text
from d2l_tui.kernel.values import ValueData, value_from_wire


class CellStatus(str, Enum):
    """How a cell ended; compares equal to its string value ('ok', 'error', ...)."""

    OK = "ok"
    ERROR = "error"  # the learner's code raised (or did not compile); see `error`
    INTERRUPTED = "interrupted"  # `Kernel.interrupt()` stopped it
    TIMEOUT = "timeout"  # the `timeout` given to `run` ran out
    DIED = "died"  # the kernel process ended (os._exit, crash, out of memory); see `exit_code`


@dataclass(frozen=True)
class CellResult:
    """The result of running one cell; all its text is safe to draw (see `kernel.clean`)."""

    status: CellStatus
    output: str = ""
    """What the cell printed (stdout and stderr, in order), cut with a note past the limits."""
    value_repr: str | None = None
    """repr() of the last expression's value, as MXNet shows it; None when there is none."""
    error: str | None = None
    """A short traceback of the learner's own lines, or a sentence saying what happened."""
    value: ValueData | None = None
    """The last expression's value as data, when `run(..., want_value=True)`."""
    duration_s: float = 0.0
    dropped_lines: int = 0
    dropped_chars: int = 0
    exit_code: int | None = None
    """For DIED: the process exit code; negative means killed by that signal (as in subprocess)."""
    kernel_log: str = ""
    """For DIED: the end of the kernel's own stderr (e.g. MXNet's 'Segmentation fault: 11')."""
    restarted: bool = False
    """True when the kernel had to be restarted during this call: the namespace was reset."""
    notices: tuple[str, ...] = ()
    """One-time notes for the learner: MXNet unavailable (with the fix), lesson setup failed."""
    missing_name: str | None = None
    """For a NameError: the name that is not defined (an earlier cell may define it)."""
    missing_module: str | None = None
    """For an import that failed because a module is not installed: its name, e.g. 'mxnet'."""
    magic_notes: tuple[str, ...] = ()
    """Magics with nothing to do in the terminal, skipped: e.g. '%matplotlib inline'."""

    @property
    def ok(self) -> bool:
        """True when the cell ran to the end without an error."""
        return self.status is CellStatus.OK

    @property
    def kept_output(self) -> str:
        """`output` without the English cut note, for a UI that words the note itself from
        `dropped_lines` and `dropped_chars` (the note is always the last line when present)."""
        if not (self.dropped_lines or self.dropped_chars):
            return self.output
        kept, _, _note = self.output.rstrip("\n").rpartition("\n")
        return kept + "\n" if kept else ""

    @property
    def text(self) -> str:
        """Everything to show under the cell, in order: notices, output, value, error."""
        parts = [f"{note}\n" for note in self.notices] + [self.output]
        parts += [f"{part}\n" for part in (self.value_repr, self.error) if part]
        return "".join(part if part.endswith("\n") else part + "\n" for part in parts if part)


def describe_exit(code: int | None) -> str:
    """Say in words how a process ended, e.g. 'exit code 1' or 'killed by SIGKILL, ...'."""
    if code is None:
        return "no exit code"
    if code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    if name == "SIGKILL":
        return "killed by SIGKILL, most likely because memory ran out"
    if name == "SIGSEGV":
        return "crashed with SIGSEGV, a segmentation fault"
    return f"killed by {name}"


def timeout_note(timeout: float | None) -> str:
    """The first line of a TIMEOUT result's error."""
    return f"stopped: the code ran longer than the time limit of {timeout:g} s\n" if timeout else ""


def result_from_message(
    message: dict[str, Any],
    reason: CellStatus | None,
    timeout: float | None,
    notices: tuple[str, ...],
) -> CellResult:
    """Build a `CellResult` from the kernel's result message; `reason` says why we stopped it."""
    status, error = CellStatus(message["status"]), message.get("error")
    if status is CellStatus.INTERRUPTED and reason is CellStatus.TIMEOUT:
        status, error = CellStatus.TIMEOUT, timeout_note(timeout) + (error or "")
    value = message.get("value")
    return CellResult(
        status,
        output=clean_output(message.get("output", "")),
        value_repr=clean_text(message.get("value_repr")),
        error=clean_text(error),
        value=value_from_wire(value) if value else None,
        duration_s=message.get("duration_s", 0.0),
        dropped_lines=message.get("dropped_lines", 0),
        dropped_chars=message.get("dropped_chars", 0),
        notices=notices,
        missing_name=message.get("missing_name"),
        missing_module=message.get("missing_module"),
        magic_notes=tuple(clean_text(str(note)) or "" for note in message.get("notes") or ()),
    )
