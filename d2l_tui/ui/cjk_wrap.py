"""Let Chinese text wrap between any two characters, as Chinese typesetting does.

rich and Textual find line-break opportunities only at whitespace, so a Chinese sentence (which
has none) is one long "word": it jumps to the next line whole, leaving ragged gaps such as
"一张 400×400" alone on a line. Both libraries look their word pattern up as a module global at
call time; we swap in a pattern in which every CJK character is a word of its own, with opening
punctuation kept before and closing punctuation kept after it (no line starts with "，").
"""

from __future__ import annotations

import re

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_OPEN = "（《「『“‘【〔〈"
_CLOSE = "，。、；：？！）》」』”’】〕〉…—%％"
# Whitespace except the no-break space, which inline math uses to stay on one line.
_SPACE = r"[^\S\u00a0]"
_TOKEN = rf"[{_OPEN}]*(?:[{_CJK}]|(?:[^\s{_CJK}]|\u00a0)+)[{_CLOSE}]*"

RICH_WORD = re.compile(rf"{_SPACE}*{_TOKEN}{_SPACE}*")
"""Same contract as `rich._wrap.re_word`: leading space, a word, trailing space."""
TEXTUAL_CHUNK = re.compile(rf"{_TOKEN}{_SPACE}*|{_SPACE}+")
"""Same contract as `textual._wrap.re_chunk`: a word with its trailing space, or a run of space."""


PATCHED = (("rich._wrap", "re_word", RICH_WORD), ("textual._wrap", "re_chunk", TEXTUAL_CHUNK))
"""The private names we replace: (module, global, our pattern). pyproject caps rich and Textual
to the versions that have them; `install_cjk_wrapping` fails loudly if one disappears."""


def install_cjk_wrapping() -> None:
    """Swap the CJK-aware word patterns into rich and Textual (idempotent)."""
    import importlib

    for module_name, name, pattern in PATCHED:
        module = importlib.import_module(module_name)
        if not isinstance(getattr(module, name, None), re.Pattern):
            raise RuntimeError(
                f"{module_name}.{name} is gone: this rich/Textual is newer than d2l-tui supports "
                "(Chinese would wrap as one long word); install the versions pyproject.toml names"
            )
        setattr(module, name, pattern)
