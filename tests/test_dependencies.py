"""The private names of rich and Textual that Chinese wrapping replaces must still exist."""

from __future__ import annotations

import importlib
import re

import pytest

from d2l_tui.ui.cjk_wrap import PATCHED, RICH_WORD, TEXTUAL_CHUNK, install_cjk_wrapping


@pytest.mark.parametrize(("module_name", "name"), [(m, n) for m, n, _ in PATCHED])
def test_patched_names_exist_in_the_installed_libraries(module_name, name):
    """A rich or Textual release that renames these would silently break Chinese wrapping."""
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, name), re.Pattern), f"{module_name}.{name} disappeared"


def test_install_puts_our_patterns_in_place():
    install_cjk_wrapping()
    import rich._wrap
    import textual._wrap

    assert rich._wrap.re_word is RICH_WORD and textual._wrap.re_chunk is TEXTUAL_CHUNK


def test_install_fails_loudly_when_a_name_is_gone(monkeypatch):
    import rich._wrap

    monkeypatch.delattr(rich._wrap, "re_word")
    with pytest.raises(RuntimeError, match="rich._wrap.re_word is gone"):
        install_cjk_wrapping()


def test_rich_is_capped_to_the_tested_major_version():
    from importlib.metadata import requires

    rich_requirement = next(r for r in requires("d2l-tui") or [] if r.startswith("rich"))
    assert "<" in rich_requirement, f"rich must be capped while cjk_wrap patches it: {rich_requirement}"
