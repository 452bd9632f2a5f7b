"""A cell's printed text made safe to draw, as it enters a `CellResult` or the streamed output.

Colour (SGR) stays, for `rich.text.Text.from_ansi`; every other escape sequence (window title,
clipboard, cursor moves) goes, and other controls are shown visibly (see `d2l_tui.sanitize`).
A lone carriage return is how progress bars redraw a line: of a line holding `\\r`, only the
text after its last `\\r` is kept (the last non-empty part, since many bars end with `\\r`).
"""

from __future__ import annotations

import re

from d2l_tui.sanitize import keep_colour, strip_controls

# An escape sequence still missing its end at the end of a chunk: wait for the next chunk.
_UNFINISHED = re.compile(r"(?:\x1b\[[0-?]*[ -/]*|\x1b[\]PX^_](?:(?!\x1b\\)[^\x07\x9c\n])*\x1b?|\x1b)\Z")


def last_redraw(line: str) -> str:
    """The text a terminal would finally show of a line redrawn with `\\r` (its last part)."""
    if "\r" not in line:
        return line
    parts = [part for part in line.split("\r") if part]
    return parts[-1] if parts else ""


def collapse_returns(text: str) -> str:
    """`text` with each line that holds a lone `\\r` cut to the text after its last `\\r`."""
    if "\r" not in text:
        return text
    text = text.replace("\r\n", "\n")
    return "\n".join(last_redraw(line) for line in text.split("\n"))


def clean_output(text: str) -> str:
    """Printed output, safe to draw: progress redraws collapsed, colour kept, other controls gone."""
    return keep_colour(collapse_returns(text))


def clean_text(text: str | None) -> str | None:
    """Error text, a value's repr or a log, safe to draw: no control sequences at all."""
    return None if text is None else strip_controls(text.replace("\r\n", "\n"))


class StreamCleaner:
    """Cleans streamed output chunk by chunk; the chunks are only ever appended to each other.

    A redraw (`\\r`) cannot take back text already shown, so a redrawn line that was partly
    shown continues on a new line: while a progress bar runs, each chunk's last state appears on
    its own line; the final `CellResult.output` keeps only the bar's last state.
    """

    def __init__(self) -> None:
        self._held = ""  # an escape sequence cut in two by the chunking
        self._line_open = False  # the text given so far ends inside a line
        self._return_pending = False  # the last chunk ended with `\r`: the next one redraws

    def feed(self, raw: str) -> str:
        """Return the safe text for the next raw chunk (may hold back an unfinished sequence)."""
        text = self._held + raw
        unfinished = _UNFINISHED.search(text)
        self._held = unfinished.group() if unfinished else ""
        if unfinished:
            text = text[: unfinished.start()]
        return self._clean(text)

    def flush(self) -> str:
        """Return what is still held back, cleaned (at the end of the cell)."""
        text, self._held = self._held, ""
        return self._clean(text)

    def _clean(self, text: str) -> str:
        if not text:
            return ""
        text = ("\r" if self._return_pending else "") + text
        text = text.replace("\r\n", "\n")
        self._return_pending = text.endswith("\r")
        first_line = text.split("\n", 1)[0]
        redraws_shown_text = self._line_open and "\r" in first_line and last_redraw(first_line)
        text = collapse_returns(text)
        if redraws_shown_text:
            text = "\n" + text
        if text:
            self._line_open = not text.endswith("\n")
        return keep_colour(text)
