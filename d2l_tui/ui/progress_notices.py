"""What the app says about the progress file in the course language: values ignored, saves failing."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from d2l_tui.progress import SaveProblem
from d2l_tui.words import say_in

if TYPE_CHECKING:
    from d2l_tui.ui.app import TutorApp

NAMES_SHOWN = 4
"""Ignored values named in the notice; the rest are counted."""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ignored-title": "Some progress values were ignored",
        "ignored": "{count} value(s) in your progress file could not be used and were ignored: {names}. "
        "Everything else was kept.",
        "ignored-copy": " The file as it was is kept as {path}.",
        "more": "and {count} more",
        "not-saved-title": "Progress not saved",
        "not-saved": "Your progress cannot be saved in {where}: {why}. It is kept while the tutor runs, "
        "and every later save tries again.",
        "why-access": "no permission to write there",
        "why-full": "the disk is full",
        "why-read-only": "the file system is read-only",
        "why-not-folder": "a file stands where its folder should be",
        "why-missing": "the folder cannot be made",
        "why-other": "{message}",
    },
    "zh": {
        "ignored-title": "部分进度记录被忽略",
        "ignored": "进度文件中有 {count} 个值无法使用，已忽略：{names}。其余进度都已保留。",
        "ignored-copy": "原文件另存为 {path}。",
        "more": "另有 {count} 个",
        "not-saved-title": "进度没有保存",
        "not-saved": "进度无法保存到 {where}：{why}。本次运行期间进度保留在内存中，之后每次保存都会重试。",
        "why-access": "没有写入权限",
        "why-full": "磁盘已满",
        "why-read-only": "文件系统是只读的",
        "why-not-folder": "那里是一个文件，而不是文件夹",
        "why-missing": "无法创建该文件夹",
        "why-other": "系统错误（错误码 {code}）",
    },
}

WHY = {
    errno.EACCES: "why-access",
    errno.EPERM: "why-access",
    errno.ENOSPC: "why-full",
    errno.EDQUOT: "why-full",
    errno.EFBIG: "why-full",
    errno.EROFS: "why-read-only",
    errno.ENOTDIR: "why-not-folder",
    errno.EEXIST: "why-not-folder",
    errno.ENOENT: "why-missing",
}


def say(lang: str, key: str, **params: object) -> str:
    """`key` in `lang`, filled in."""
    return say_in(WORDS, lang, key, **params)


def why_not_saved(problem: SaveProblem, lang: str) -> str:
    """Why a save failed, in words of the language (the OS's own message only in English)."""
    key = WHY.get(problem.errno or 0, "why-other")
    return say(lang, key, message=problem.message, code=problem.errno)


def tell_not_saved(app: TutorApp, problem: SaveProblem) -> None:
    """Say once where and why progress cannot be saved (the store calls this when saving starts failing)."""
    app.notify(
        say(app.lang, "not-saved", where=problem.where, why=why_not_saved(problem, app.lang)),
        title=say(app.lang, "not-saved-title"),
        severity="error",
        timeout=30,
    )


def tell_ignored(app: TutorApp) -> None:
    """Name the values of the progress file that were ignored when it was opened (once, at start)."""
    store = app.progress
    if not store.warnings:
        return
    names = [problem.where for problem in store.warnings[:NAMES_SHOWN]]
    if len(store.warnings) > NAMES_SHOWN:
        names.append(say(app.lang, "more", count=len(store.warnings) - NAMES_SHOWN))
    text = say(app.lang, "ignored", count=len(store.warnings), names=", ".join(names))
    if store.kept_copy is not None:
        text += say(app.lang, "ignored-copy", path=store.kept_copy)
    app.notify(text, title=say(app.lang, "ignored-title"), severity="warning", timeout=30)
