"""Every key the app defines has Chinese words for the help screen."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import d2l_tui.ui
from d2l_tui.ui.app_words import KEY_WORDS_ZH, key_words


def all_binding_ids() -> set[str]:
    """The ids of every Binding declared by a screen, widget or the app in the UI package."""
    for module in pkgutil.walk_packages(d2l_tui.ui.__path__, "d2l_tui.ui."):
        importlib.import_module(module.name)
    ids: set[str] = set()
    stack = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("d2l_tui."):
            ids |= {b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id}
    return ids


def test_every_binding_id_has_chinese_words() -> None:
    ids = all_binding_ids()
    assert {"help", "next-block", "train-start", "quiz-submit"} <= ids
    assert sorted(ids - KEY_WORDS_ZH.keys()) == []


def test_key_words_fall_back_to_the_binding_s_own() -> None:
    assert key_words("zh", "search", "Search") == "搜索"
    assert key_words("en", "search", "Search") == "Search"
    assert key_words("zh", None, "Scroll Up") == "向上滚动"
    assert key_words("zh", None, "Something new") == "Something new"
