"""Looking words up by language: one table per language, English wherever a word is missing."""

from __future__ import annotations

from typing import Any

Tables = dict[str, dict[str, str]]
"""Language code -> key -> text (a format string); "en" has every key."""


def table_for(tables: Tables, lang: str) -> dict[str, str]:
    """The table of `lang`, or English when there is none for it."""
    return tables.get(lang, tables["en"])


def say_in(tables: Tables, lang: str, key: str, **params: Any) -> str:
    """`key` in `lang` (in English when `lang` lacks it), filled with `params`."""
    return tables.get(lang, tables["en"]).get(key, tables["en"][key]).format(**params)


def plural(count: int) -> str:
    """The English plural ending for `count` things, for a `{s}` in the words (Chinese needs none)."""
    return "" if count == 1 else "s"
