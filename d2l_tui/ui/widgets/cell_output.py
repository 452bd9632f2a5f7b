"""How a code cell's result reads under the cell (and in the scratchpad): text, value, errors."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum
from typing import TYPE_CHECKING, Any, Union

from rich.text import Text
from textual.app import App

from d2l_tui.words import say_in

if TYPE_CHECKING:  # types only: the app starts without importing the kernel package
    from d2l_tui.kernel import CellResult


# SavedResult repeats CellResult's text fields (d2l_tui/kernel/results.py) on purpose, without its
# ValueData: the app starts and shows a lesson's saved results without importing the kernel package
# or NumPy (which a run's values need), and the workbook keeps plain text, not a kernel object.
@dataclass(frozen=True)
class SavedResult:
    """A run's result as kept in the workbook: the text of a `CellResult`, shown again in any language."""

    status: str
    output: str = ""
    value_repr: str | None = None
    error: str | None = None
    duration_s: float = 0.0
    dropped_lines: int = 0
    dropped_chars: int = 0
    exit_code: int | None = None
    kernel_log: str = ""
    restarted: bool = False
    notices: tuple[str, ...] = ()
    missing_name: str | None = None
    missing_module: str | None = None
    magic_notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SavedResult:
        """From the workbook's data (fields it does not know are left out)."""
        known = {f.name for f in fields(cls)} & set(data)
        values = {name: data[name] for name in known}
        values["notices"] = tuple(str(n) for n in values.get("notices", ()))
        values["magic_notes"] = tuple(str(n) for n in values.get("magic_notes", ()))
        return cls(**values)


Shown = Union["CellResult", SavedResult]
"""A result to show: just run, or kept from an earlier run."""


def result_data(result: Shown) -> dict[str, Any]:
    """What the workbook keeps of a result (text only; the value's data is not kept)."""
    data = {f.name: getattr(result, f.name) for f in fields(SavedResult)}
    data["status"] = status_of(result)
    data["notices"] = list(result.notices)
    data["magic_notes"] = list(result.magic_notes)
    return {key: value for key, value in data.items() if value not in (None, "", 0, (), [], False) or key == "status"}


def status_of(result: Shown) -> str:
    """How the run ended, as a plain string ('ok', 'error', ...)."""
    status = result.status
    return str(status.value) if isinstance(status, Enum) else str(status)

KERNEL_LOG_LINES = 3
"""How much of a dead kernel's own last words (e.g. 'Segmentation fault') to show."""
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "code",
        "hint-stop": "{stop} stop",
        "hint-leave": "{leave} leave",
        "hint-edit": "{edit} edit",
        "hint": "{run} run · {where} · {above} run above · {reset} starter · {restart} restart",
        "running": "running…",
        "running-note": "running… ({stop} stops it)",
        "stopping": "stopping…",
        "restarting": "restarting…",
        "new-namespace": "new namespace",
        "still-running": "This cell is still running: {stop} stops it.",
        "busy": (
            "This lesson's namespace is busy running other code (another cell or the scratchpad). "
            "Stop that first."
        ),
        "not-run": "The cell could not be run: {error}",
        "starter-restored": "Starter code restored (Ctrl+Z undoes that).",
        "stop-first": "Code is still running here: {stop} stops it first.",
        "restarted": "The kernel was restarted: a fresh namespace",
        "restarted-setup": ", with the lesson's setup run again.",
        "restarted-end": ".",
        "restarted-notice": "Kernel restarted: a fresh namespace.",
        "magic-skipped": "{magic}: not needed in the terminal, skipped",
        "interrupted-note": "interrupted: your variables are still there",
        "died": "{error}: press {restart} to restart it",
        "ok": "✔ {duration}",
        "error": "✘ error",
        "interrupted": "⏹ interrupted",
        "timeout": "⏹ stopped",
        "died-status": "✘ kernel died",
        "ms": "{ms:.0f} ms",
        "s": "{s:.1f} s",
        "cell-n": "cell {n}",
        "replayed": "Restored variables: re-ran the {count} cells above",
        "replayed-one": "Restored variables: re-ran the cell above",
        "replay-failed": "Restoring variables stopped: the cell “{title}” above failed, so this one did not run:",
        "ran-above": "Ran the {count} cells above.",
        "ran-above-one": "Ran the cell above.",
        "none-above": "There is no code cell above this one.",
        "defined-above": "“{name}” is defined by the cell “{title}” above: run it first ({above} runs every cell above).",
        "saved-status": "{status} · {time}",
        "no-mxnet": "MXNet cannot be loaded here, so only plain Python runs: {reason}",
        "fix": "To fix it, run in a terminal: ",
        "no-module": "The module “{module}” is not installed for this Python.",
        "cut": "[output cut: {lines} more lines and {chars} more characters not shown]",
    },
    "zh": {
        "title": "代码",
        "hint-stop": "{stop} 停止",
        "hint-leave": "{leave} 退出编辑",
        "hint-edit": "Tab/{edit} 编辑",
        "hint": "{run} 运行 · {where} · {above} 运行上方 · {reset} 还原 · {restart} 重启内核",
        "running": "运行中…",
        "running-note": "运行中…（按 {stop} 停止）",
        "stopping": "正在停止…",
        "restarting": "正在重启…",
        "new-namespace": "新的命名空间",
        "still-running": "这个单元格还在运行：按 {stop} 停止。",
        "busy": "这一课的命名空间正忙着运行别的代码（另一个单元格或草稿本），请先停止它。",
        "not-run": "这个单元格没法运行：{error}",
        "starter-restored": "已恢复初始代码（按 Ctrl+Z 撤销）。",
        "stop-first": "这里还有代码在运行：请先按 {stop} 停止。",
        "restarted": "内核已重启：命名空间是全新的",
        "restarted-setup": "，这一课的准备代码已重新运行。",
        "restarted-end": "。",
        "restarted-notice": "内核已重启：命名空间是全新的。",
        "magic-skipped": "{magic}：终端里不需要，已跳过",
        "interrupted-note": "已中断：你的变量都还在",
        "died": "{error}：按 {restart} 重启内核",
        "ok": "✔ {duration}",
        "error": "✘ 出错",
        "interrupted": "⏹ 已中断",
        "timeout": "⏹ 已停止",
        "died-status": "✘ 内核崩溃了",
        "ms": "{ms:.0f} 毫秒",
        "s": "{s:.1f} 秒",
        "cell-n": "第 {n} 个单元",
        "replayed": "恢复变量：重新运行了上面 {count} 个单元",
        "replayed-one": "恢复变量：重新运行了上面 1 个单元",
        "replay-failed": "恢复变量时出错：上面的单元“{title}”运行失败，所以这个单元没有运行：",
        "ran-above": "运行了上面 {count} 个单元。",
        "ran-above-one": "运行了上面 1 个单元。",
        "none-above": "上面没有代码单元。",
        "defined-above": "“{name}”在上面的单元“{title}”里定义：先运行它（按 {above} 运行上面所有单元）。",
        "saved-status": "{status} · {time}",
        "no-mxnet": "这里加载不了 MXNet，只能运行普通的 Python 代码。",
        "fix": "解决办法：在终端里运行 ",
        "no-module": "这个 Python 里没有安装模块“{module}”。",
        "cut": "[输出太长：另有 {lines} 行、{chars} 个字符没有显示]",
    },
}
"""A code cell's words per language (the kernel's own messages stay as the kernel says them)."""


def say(lang: str, key: str, **params: object) -> str:
    """The code cell's words `key` in `lang` (English when there is no translation), filled with `params`."""
    return say_in(LABELS, lang, key, **params)


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


def running_text(streamed: str, stop_key: str, lang: str = "en") -> Text:
    """What the output area shows while the cell runs: its output so far, then a note."""
    text = Text(streamed)
    if streamed and not streamed.endswith("\n"):
        text.append("\n")
    text.append(say(lang, "running-note", stop=stop_key), style="italic dim")
    return text


def result_text(result: Shown, restart_key: str, lang: str = "en") -> Text:
    """Notices, printed output, the value, then what went wrong, each styled for its kind."""
    text = Text()
    for notice in result.notices:
        text.append_text(_notice(notice, lang))
    for magic in result.magic_notes:
        text.append(say(lang, "magic-skipped", magic=magic) + "\n", style="italic dim")
    text.append_text(printed_text(result, lang))
    if result.value_repr is not None:
        text.append(shown_value(result.value_repr) + "\n")
    text.append_text(_ending(result, restart_key, lang))
    # The kernel's error already ends with MXNet's fix in English: an English screen needs no more.
    if result.missing_module and not (lang == "en" and "To fix it:" in (result.error or "")):
        text.append("\n")
        text.append_text(_missing_module(result.missing_module, lang))
    text.rstrip()
    return text


def printed_text(result: Shown, lang: str = "en") -> Text:
    """What the cell printed, its colours kept, and the note where it was cut."""
    output = without_magic_ticks(result.output, result.magic_notes)
    if not (result.dropped_lines or result.dropped_chars):
        # Printed colour arrives as SGR codes (the kernel removes every other control sequence).
        return Text.from_ansi(output if output.endswith("\n") else output + "\n") if output else Text()
    kept, _, note = output.rstrip("\n").rpartition("\n")
    text = Text.from_ansi(kept + "\n") if kept else Text()
    if lang != "en":  # the kernel's note is English
        note = say(lang, "cut", lines=result.dropped_lines, chars=result.dropped_chars)
    text.append(note + "\n", style="italic yellow")
    return text


def without_magic_ticks(output: str, magics: tuple[str, ...]) -> str:
    """The output less the kernel's own "%matplotlib inline ✔" lines: the magic's note says it in words."""
    if not magics:
        return output
    ticks = {f"{magic} ✔" for magic in magics}
    return "".join(line for line in output.splitlines(keepends=True) if line.rstrip("\n") not in ticks)


MXNET_NOTICE = "MXNet is not available, so only plain Python runs: "
"""How the kernel's one-time notice about a missing MXNet starts (its last line is the fix)."""


def _notice(notice: str, lang: str) -> Text:
    """A kernel notice; the one about MXNet, in the learner's language with its fix in bold."""
    if not notice.startswith(MXNET_NOTICE):
        return Text(notice.rstrip("\n") + "\n", style="yellow")
    reason, _, fix = notice[len(MXNET_NOTICE):].partition("\nTo fix it: ")
    return Text.assemble(
        (say(lang, "no-mxnet", reason=reason.strip()) + "\n", "yellow"),
        (say(lang, "fix"), "yellow"), (fix.strip() + "\n", "bold"),
    )


def _missing_module(module: str, lang: str) -> Text:
    """What is not installed, and the command that installs it."""
    if module.split(".")[0] == "mxnet":
        from d2l_tui.mxnet_env import fix_command

        fix = fix_command()
    else:
        fix = f"python -m pip install {module.split('.')[0]}"
    return Text.assemble(
        (say(lang, "no-module", module=module) + "\n", "yellow"), (say(lang, "fix"), "yellow"), (fix, "bold"),
    )


def shown_value(value_repr: str) -> str:
    """The value as shown: MXNet starts an NDArray's repr with a newline, a gap under a cell."""
    return value_repr.lstrip("\n")


def displayed_text(result: CellResult) -> str:
    """What a cell that ran without error shows: its printed output, then its value.

    A code block's `expect` is compared with this (trailing whitespace aside).
    """
    value = shown_value(result.value_repr) + "\n" if result.value_repr is not None else ""
    return result.output + value


def _ending(result: Shown, restart_key: str, lang: str) -> Text:
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
            (say(lang, "interrupted-note"), "yellow"),
        )
    if result.status == "died":
        ending = Text(say(lang, "died", error=error, restart=restart_key), style="bold red")
        log = result.kernel_log.strip().splitlines()[-KERNEL_LOG_LINES:]
        if log:
            ending.append("\n" + "\n".join(log), style="dim")
        return ending
    return Text()


def status_line(result: Shown, lang: str = "en") -> str:
    """A few words on how the run went, for the cell's border."""
    return status_words(status_of(result), result.duration_s, lang)


def status_words(status: str, duration_s: float, lang: str = "en") -> str:
    """How a run ended ('ok', 'error', ...) in a few words, for the cell's border."""
    if status == "ok":
        return say(lang, "ok", duration=_duration(duration_s, lang))
    key = status if status in ("error", "interrupted", "timeout") else "died-status"
    return say(lang, key)


def _duration(seconds: float, lang: str) -> str:
    return say(lang, "ms", ms=seconds * 1000) if seconds < 1 else say(lang, "s", s=seconds)
