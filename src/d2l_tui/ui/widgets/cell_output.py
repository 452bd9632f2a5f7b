"""How a code cell's result reads under the cell (and in the scratchpad): text, value, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App

if TYPE_CHECKING:  # the kernel package imports NumPy: not before the first paint
    from d2l_tui.kernel import CellResult

KERNEL_LOG_LINES = 3
"""How much of a dead kernel's own last words (e.g. 'Segmentation fault') to show."""


def key_name(app: App, binding_id: str, default: str) -> str:
    """The first key bound to `binding_id` (after the learner's keymap), e.g. 'Ctrl+R'."""
    keymap = getattr(app, "_keymap", {})  # Textual keeps set_keymap()'s mapping here
    key = keymap.get(binding_id, default).split(",")[0].strip()
    return "+".join(_key_word(part) for part in key.split("+"))


def _key_word(part: str) -> str:
    if part == "escape":
        return "Esc"
    if len(part) == 1 or (part[0] == "f" and part[1:].isdigit()):
        return part.upper()
    return part.capitalize()


def running_text(streamed: str, stop_key: str) -> Text:
    """What the output area shows while the cell runs: its output so far, then a note."""
    text = Text(streamed)
    if streamed and not streamed.endswith("\n"):
        text.append("\n")
    text.append(f"running… ({stop_key} stops it)", style="italic dim")
    return text


def result_text(result: CellResult, restart_key: str) -> Text:
    """Notices, printed output, the value, then what went wrong, each styled for its kind."""
    text = Text()
    for notice in result.notices:
        text.append(notice.rstrip("\n") + "\n", style="yellow")
    output = result.output
    if result.dropped_lines or result.dropped_chars:
        kept, _, note = output.rstrip("\n").rpartition("\n")
        text.append(kept + "\n" if kept else "")
        text.append(note + "\n", style="italic yellow")
    else:
        text.append(output)
        if output and not output.endswith("\n"):
            text.append("\n")
    if result.value_repr is not None:
        text.append(shown_value(result.value_repr) + "\n")
    text.append_text(_ending(result, restart_key))
    text.rstrip()
    return text


def shown_value(value_repr: str) -> str:
    """The value as shown: MXNet starts an NDArray's repr with a newline, a gap under a cell."""
    return value_repr.lstrip("\n")


def displayed_text(result: CellResult) -> str:
    """What a cell that ran without error shows: its printed output, then its value.

    A code block's `expect` is compared with this (trailing whitespace aside).
    """
    value = shown_value(result.value_repr) + "\n" if result.value_repr is not None else ""
    return result.output + value


def _ending(result: CellResult, restart_key: str) -> Text:
    """The error, interruption or death, said plainly."""
    error = (result.error or "").rstrip("\n")
    # CellStatus is a str enum, so plain strings compare equal to it.
    if result.status == "error":
        return Text(error, style="red")
    if result.status in ("interrupted", "timeout"):
        if result.restarted:
            return Text(error, style="yellow")
        last_line = error.splitlines()[-1] if error else "KeyboardInterrupt"
        return Text.assemble(
            (f"{last_line}\n", "dim"),
            ("interrupted: your variables are still there", "yellow"),
        )
    if result.status == "died":
        ending = Text(f"{error}: press {restart_key} to restart it", style="bold red")
        log = result.kernel_log.strip().splitlines()[-KERNEL_LOG_LINES:]
        if log:
            ending.append("\n" + "\n".join(log), style="dim")
        return ending
    return Text()


def status_line(result: CellResult) -> str:
    """A few words on how the run went, for the cell's border."""
    if result.status == "ok":
        return f"✔ {_duration(result.duration_s)}"
    words = {"error": "✘ error", "interrupted": "⏹ interrupted", "timeout": "⏹ stopped"}
    return words.get(result.status, "✘ kernel died")


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"
