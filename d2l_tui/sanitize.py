"""Text from lessons and from cell output, made safe to draw: no raw terminal control sequences.

A lesson folder or a cell's print could otherwise set the window title (OSC 0), write the
clipboard (OSC 52), move the cursor (CSI) or ring the bell. Escape sequences are removed;
other C0/C1 controls are shown as visible symbols (␛, ␇ ...), except tab and newline.
`split_sgr` keeps colour (SGR, `ESC[...m`) for Rich to draw as colour, nothing else.
"""

from __future__ import annotations

import re

# ESC followed by: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), or a short sequence (ESC, intermediate bytes, one final character,
# e.g. ESC ( B). A string sequence left unterminated ends at the end of its line, so one stray
# `ESC ]` does not swallow all the text after it.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x90\x9d\x9e\x9f][^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)"
    r"|\x1b[ -/]*[0-~]?",
)
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _visible(match: re.Match[str]) -> str:
    """A control character as its Unicode 'control picture' (␀..␟, ␡) or U+FFFD for C1."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def strip_controls(text: str) -> str:
    """`text` without escape sequences; other controls (not tab or newline) shown visibly."""
    if not _needs_work(text):
        return text
    text = text.replace("\r\n", "\n")
    return _CONTROLS.sub(_visible, _ESCAPE.sub("", text))


def keep_colour(text: str) -> str:
    """Like `strip_controls`, but colour (SGR) sequences stay, for `Text.from_ansi` to draw."""
    if not _needs_work(text):
        return text
    # Sequences are found first and SGR kept among them, so an SGR inside a title is dropped too.
    text = text.replace("\r\n", "\n")
    kept = _ESCAPE.sub(lambda match: match.group() if _SGR.fullmatch(match.group()) else "", text)
    pieces = _SGR.split(kept)
    colours = _SGR.findall(kept)
    safe = [_CONTROLS.sub(_visible, piece) for piece in pieces]
    return "".join(part for pair in zip(safe, [*colours, ""]) for part in pair)


def _needs_work(text: str) -> bool:
    """True when `text` holds any control character other than tab and newline (fast path)."""
    return _CONTROLS.search(text) is not None
