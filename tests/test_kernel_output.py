"""A cell's output as the app gets it: capped early and counted, and safe to draw."""

from __future__ import annotations

import pytest
from rich.text import Text

from d2l_tui.kernel import CellStatus, Kernel
from d2l_tui.kernel.clean import StreamCleaner, clean_output, collapse_returns
from d2l_tui.sanitize import keep_colour, strip_controls
from d2l_tui.ui.kernels import APP_OUTPUT_CHARS, APP_OUTPUT_LINES


@pytest.fixture(scope="module")
def kernel():
    """A kernel with the app's own output limits."""
    with Kernel(max_output_chars=APP_OUTPUT_CHARS, max_output_lines=APP_OUTPUT_LINES) as k:
        assert k.wait_ready(60), "the kernel did not start"
        yield k


# -- capped early, the rest counted ---------------------------------------------------------


def test_a_hundred_thousand_lines_keep_the_apps_cap_and_count_the_rest(kernel):
    chunks: list[str] = []
    result = kernel.run("for i in range(100_000):\n    print(i)", on_output=chunks.append)
    assert result.ok and result.dropped_lines == 100_000 - APP_OUTPUT_LINES == 99_800
    lines = result.output.splitlines()
    assert lines[:APP_OUTPUT_LINES] == [str(i) for i in range(APP_OUTPUT_LINES)]
    assert lines[-1].startswith("[output truncated: 99,800 more lines (")
    assert len(lines) == APP_OUTPUT_LINES + 1
    # Only the kept part (and the note) crossed the pipe.
    assert "".join(chunks) == result.output
    assert len(result.output) < APP_OUTPUT_CHARS
    assert result.kept_output == "".join(f"{i}\n" for i in range(APP_OUTPUT_LINES))


def test_long_lines_are_cut_at_the_character_cap(kernel):
    result = kernel.run("for i in range(1_000):\n    print('x' * 1_000)")
    assert result.dropped_chars == 1_000 * 1_001 - APP_OUTPUT_CHARS
    kept, note = result.output.rsplit("\n[output truncated: ", 1)
    assert len(kept) == APP_OUTPUT_CHARS
    assert note.startswith(f"{1_000 - APP_OUTPUT_CHARS // 1_001:,} more lines")


# -- safe to draw -----------------------------------------------------------------------------


def test_title_clipboard_cursor_and_bell_never_reach_the_terminal(kernel):
    code = (
        "print('\\x1b]0;pwned title\\x07a', end='')\n"  # OSC 0: the window title
        "print('\\x1b]52;c;ZXZpbA==\\x1b\\\\b', end='')\n"  # OSC 52: the clipboard
        "print('\\x1b[2J\\x1b[1;1Hc\\x1b[5A', end='')\n"  # CSI: clear, cursor moves
        "print('d\\x07')"  # BEL
    )
    result = kernel.run(code)
    assert result.ok and result.output == "abcd\u2407\n"


def test_colour_survives_as_sgr_for_rich(kernel):
    result = kernel.run("print('\\x1b[31mred\\x1b[0m and \\x1b[1;32mgreen\\x1b[0m')")
    assert result.output == "\x1b[31mred\x1b[0m and \x1b[1;32mgreen\x1b[0m\n"
    text = Text.from_ansi(result.output)
    assert text.plain.rstrip("\n") == "red and green"
    assert [(span.start, span.end) for span in text.spans] == [(0, 3), (8, 13)]
    red, green = (span.style for span in text.spans)
    assert red.color.number == 1 and green.color.number == 2 and green.bold  # type: ignore[union-attr]


def test_progress_bar_keeps_its_last_state(kernel):
    code = "import sys\nfor p in (10, 50, 100):\n    sys.stdout.write(f'\\r{p:3d}%')\nprint()\nprint('done')"
    assert kernel.run(code).output == "100%\ndone\n"


def test_error_text_and_value_are_safe_too(kernel):
    result = kernel.run("raise ValueError('\\x1b]0;title\\x07bad \\x1b[31mred\\x1b[0m\\x07')")
    assert result.status is CellStatus.ERROR
    assert result.error.splitlines()[-1] == "ValueError: bad red\u2407"
    shown = kernel.run("class Odd:\n    def __repr__(self):\n        return '\\x1b[2Jodd'\nOdd()")
    assert shown.value_repr == "odd"


def test_streamed_output_is_safe_while_the_cell_runs(kernel):
    chunks: list[str] = []
    code = ("import time\nprint('\\x1b]0;t\\x07one', flush=True)\ntime.sleep(0.3)\n"
            "print('\\x1b[31mtwo\\x1b[0m\\x07')")
    result = kernel.run(code, on_output=chunks.append)
    assert len(chunks) >= 2 and "".join(chunks) == result.output
    assert result.output == "one\n\x1b[31mtwo\x1b[0m\u2407\n"


def test_streamed_progress_redraws_go_on_new_lines_until_the_end(kernel):
    chunks: list[str] = []
    code = ("import sys, time\nfor p in (10, 50, 100):\n    sys.stdout.write(f'\\r{p:3d}%')\n"
            "    time.sleep(0.25)\nprint()")
    result = kernel.run(code, on_output=chunks.append)
    assert result.output == "100%\n"
    assert "".join(chunks) == " 10%\n 50%\n100%\n"


# -- the cleaning on its own ------------------------------------------------------------------


def test_a_lone_carriage_return_keeps_the_text_after_it():
    assert collapse_returns("a\r\nb") == "a\nb"
    assert collapse_returns(" 1/3\r 2/3\r 3/3\nnext\n") == " 3/3\nnext\n"
    assert collapse_returns("almost\r") == "almost"  # a bar that ends with \r keeps its text
    assert clean_output("\x1b[32m 50%\x1b[0m\r\x1b[32m100%\x1b[0m\n") == "\x1b[32m100%\x1b[0m\n"


def test_sequences_cut_between_chunks_are_held_until_complete():
    cleaner = StreamCleaner()
    assert cleaner.feed("a\x1b[3") == "a"
    assert cleaner.feed("1mred\x1b[0m\n") == "\x1b[31mred\x1b[0m\n"
    assert cleaner.feed("x\x1b]0;ti") == "x"
    assert cleaner.feed("tle\x07y\n") == "y\n"
    assert cleaner.feed("end\x1b") == "end"
    assert cleaner.flush() == ""


def test_a_redraw_split_across_chunks_continues_on_a_new_line():
    cleaner = StreamCleaner()
    pieces = [cleaner.feed(chunk) for chunk in (" 10%", "\r 20%", "\r", "100%\n", "done\n")]
    assert pieces == [" 10%", "\n 20%", "", "\n100%\n", "done\n"]


@pytest.mark.parametrize(
    ("raw", "coloured", "plain"),
    [
        ("\x1b]0;t\x1b[31m\x07x", "x", "x"),  # an SGR inside a title goes with it
        ("a\x1b]0;never ended\nnext", "a\nnext", "a\nnext"),  # one stray OSC loses one line's end
        ("\x1b(Bok", "ok", "ok"),  # a charset designation goes whole
        ("\x1bPdcs\x1b\\ok", "ok", "ok"),
        ("\x9b2Jok", "ok", "ok"),  # the one-byte CSI
        ("tab\tnul\x00", "tab\tnul\u2400", "tab\tnul\u2400"),
        ("\x1b[1;31mbold\x1b[m", "\x1b[1;31mbold\x1b[m", "bold"),
    ],
)
def test_sanitizer_cases(raw, coloured, plain):
    assert keep_colour(raw) == coloured and strip_controls(raw) == plain
