"""The pieces of a quiz card: an option line, the code answer box, and the card's words per language."""

from __future__ import annotations

import codeop
import functools
import re

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.markup import escape
from textual.message import Message
from textual.widgets import Static, TextArea

from d2l_tui.course.prose import NO_BREAK_SPACE, prepare_markdown
from d2l_tui.ui.widgets.prose import TrimmedMarkdown
from d2l_tui.words import table_for

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "quiz": "Quiz", "choice": "choose one", "multi": "choose all that apply",
        "numeric": "type a number", "code": "write code",
        "right": "✔ Right", "partial": "◐ Partly right", "wrong": "✘ Wrong", "invalid": "Not graded",
        "revealed": "Answer shown", "hint": "Hint", "hint-line": "*Hint:* {hint}", "answer": "Answer", "solution": "Solution",
        "check": "Check ⏎", "show-hint": "Hint h", "reveal": "Show answer s", "retry": "Try again r",
        "checking": "Running your code… (it is stopped after {seconds:g} s)",
        "attempts": "{count} attempts", "attempt": "1 attempt", "no-hint": "This question has no hint.",
        "number": "your answer", "code-placeholder": "your code; Enter checks it, Esc leaves the box",
        "keys-choice": "↑↓ or 1-{n} choose, Enter checks",
        "keys-multi": "↑↓ move, Space or 1-{n} ticks, Enter checks",
        "keys-numeric": "type the number (0.5, .5, 1/2, 5e-1), Enter checks, Esc leaves the box",
        "keys-code": "Enter on a finished line (or Ctrl+R) checks, Esc leaves the box",
        "keys-undo": "Ctrl+Z brings back the code you tried",
        "keys-outside-empty": "Enter goes back to the answer box", "keys-outside-full": "Enter checks your answer",
        "keys-outside-hint": "h hint", "keys-outside-reveal": "s shows the answer",
        "predict": "predict, then run", "commit": "Commit ⏎", "change": "Change prediction r",
        "happened": "what the run did", "keys-predict": "↑↓ or 1-{n} choose, Enter commits your prediction",
        "about": "About a run of the panel “{title}” {where}{using}.", "about-with": " with {settings}",
        "above": "above", "below": "below", "in-lesson": "in the lesson “{lesson}”",
        "about-review": " Press o to open the lesson: a run there settles it.",
        "committed": "Your prediction is in. Now run the panel {where}{using}: {how}.",
        "how": "press g to go to it, {set}press Enter", "to-panel": "Go to the panel g",
        "set-value": "check the value filled in, ", "set-values": "check the values filled in, ",
        "committed-review": "Your prediction is in. Press o to open the lesson and run its panel there{using}.",
        "run-it": "Run the panel to see it happen.",
        "run-with": " with {settings}",
    },
    "zh": {
        "quiz": "测验", "choice": "单选", "multi": "多选", "numeric": "填数", "code": "写代码",
        "right": "✔ 正确", "partial": "◐ 部分正确", "wrong": "✘ 不对", "invalid": "未评分",
        "revealed": "已显示答案", "hint": "提示", "hint-line": "*提示*：{hint}", "answer": "答案", "solution": "参考代码",
        "check": "提交 ⏎", "show-hint": "提示 h", "reveal": "看答案 s", "retry": "再试一次 r",
        "checking": "正在运行你的代码…（超过 {seconds:g} 秒会被停止）",
        "attempts": "已答 {count} 次", "attempt": "已答 1 次", "no-hint": "这道题没有提示。",
        "number": "你的答案", "code-placeholder": "在这里写代码；Enter 提交，Esc 离开",
        "keys-choice": "↑↓ 或 1-{n} 选择，Enter 提交",
        "keys-multi": "↑↓ 移动，空格或 1-{n} 勾选，Enter 提交",
        "keys-numeric": "输入数字（0.5、.5、1/2、5e-1 都行），Enter 提交，Esc 离开输入框",
        "keys-code": "在写完的一行按 Enter（或 Ctrl+R）提交，Esc 离开输入框",
        "keys-undo": "按 Ctrl+Z 找回刚才提交的代码",
        "keys-outside-empty": "按 Enter 回到答题框", "keys-outside-full": "按 Enter 提交答案",
        "keys-outside-hint": "h 提示", "keys-outside-reveal": "s 看答案",
        "predict": "先预测再训练", "commit": "提交预测 ⏎", "change": "改预测 r",
        "happened": "实际结果", "keys-predict": "↑↓ 或 1-{n} 选择，Enter 提交预测",
        "about": "预测{where}面板“{title}”的一次训练{using}。", "about-with": "（{settings}）",
        "above": "上方", "below": "下方", "in-lesson": "课程“{lesson}”中",
        "about-review": "按 o 打开那一课，在那里训练才能判定。",
        "committed": "预测已记下。现在{using}训练{where}的面板：{how}。",
        "how": "按 g 到面板，{set}按 Enter", "to-panel": "到面板 g",
        "set-value": "核对已填好的数值，", "set-values": "核对已填好的数值，",
        "committed-review": "预测已记下。按 o 打开那一课，在那里{using}训练它的面板。",
        "run-it": "训练一次面板，亲眼看看。",
        "run-with": "用 {settings} ",
    },
}


CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
"""An inline code span on one line: a run of backticks, the code, the same run again."""


def keep_code_together(markdown: str) -> str:
    """Join the words of each inline code span with no-break spaces: `lr * grad` wraps as a whole."""
    return CODE_SPAN.sub(lambda m: m.group(1) + m.group(2).replace(" ", NO_BREAK_SPACE) + m.group(1), markdown)


PLAIN_TEXT = re.compile(r"[^\\`*_\[\]<>#$|~&!\n]*")
"""Text with nothing Markdown would change (no markup characters, no line breaks to join)."""
BLOCK_START = re.compile(r"\s*([-+=>]|\d+[.)])")
"""A start that Markdown reads as a list, quote or heading underline."""


@functools.lru_cache(maxsize=1024)
def quiz_markdown(text: str) -> RenderableType:
    """A quiz's prompt, option, hint or explanation rendered as lesson prose is (Markdown, math, CJK).

    Rich Markdown, not markup: `autograd.record()` and `x[0]` keep their brackets. Cached, as an
    option line is redrawn at every key; the renderable keeps its lines per width. Plain text
    (most options) skips the parse: it looks the same and a card's first paint is ~6x cheaper.
    """
    if PLAIN_TEXT.fullmatch(text) and not BLOCK_START.match(text):
        return Text(text.strip())
    return TrimmedMarkdown(keep_code_together(prepare_markdown(text)))


def hint_markdown(hint: str, words: dict[str, str]) -> RenderableType:
    """The hint line, as Markdown: "Hint: …"."""
    return quiz_markdown(words["hint-line"].format(hint=hint))


VERDICT_STYLES = {"right": "bold green", "partial": "bold yellow", "wrong": "bold red", "invalid": "yellow"}


def labels(lang: str) -> dict[str, str]:
    """The card's words in a language (English when there are none for it)."""
    return table_for(LABELS, lang)


class OptionLine(Static):
    """One option of a choice or multi quiz; a click chooses (or ticks) it."""

    DEFAULT_CSS = """
    OptionLine { height: auto; }
    OptionLine:hover { background: $boost; }
    OptionLine.-cursor { background: $accent 15%; }
    """

    class Clicked(Message):
        """The learner clicked this option."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(
        self, position: int, pointer: bool, number: int, box: str, text: RenderableType, mark: Text | None
    ) -> None:
        super().__init__(option_grid(pointer, number, box, text, mark), classes="-cursor" if pointer else "")
        self.position = position
        """Where the option is shown (0 is the top line), not its index in the lesson file."""

    def show(self, pointer: bool, number: int, box: str, text: RenderableType, mark: Text | None) -> None:
        """Redraw the line."""
        self.set_class(pointer, "-cursor")
        self.update(option_grid(pointer, number, box, text, mark))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.position))


class ActionBar(Static):
    """The card's buttons as one line of clickable labels (one widget, not four: cards mount fast)."""

    DEFAULT_CSS = """
    ActionBar {
        height: auto; margin-top: 1;
        link-style: bold; link-color: $text; link-background: $primary 35%;
        link-style-hover: bold; link-color-hover: $text; link-background-hover: $accent 60%;
    }
    """

    class Pressed(Message):
        """A label was clicked; `action` is check, hint, reveal, retry or panel."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def show(self, actions: list[tuple[str, str]], keys: str) -> None:
        """Draw (action, label) pairs as buttons, then the keys line (when there is one)."""
        parts = [f"[@click=do('{action}')] {escape(label)} [/]" for action, label in actions]
        line = "  ".join(parts)
        if keys:
            line += f"\n[dim]{escape(keys)}[/]"
        self.update(line)

    def action_do(self, action: str) -> None:
        self.post_message(self.Pressed(action))


def option_grid(pointer: bool, number: int, box: str, text: RenderableType, mark: Text | None) -> Table:
    """Pointer, number, tick box, the option's text (Markdown, wrapping under itself), and a mark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # code longer than the line folds, never cut with …
    grid.add_column(no_wrap=True)
    head = Text.assemble(("❯" if pointer else " ", "bold"), f" {number} ", box)
    grid.add_row(head, text, mark or Text(""))
    return grid


class AnswerArea(TextArea):
    """The code answer box: Enter checks a complete answer (as in IPython), else starts a new line."""

    class Submitted(Message):
        """The learner asked to check the code."""

    def on_mount(self) -> None:
        # Tab into the box lands after the starter (or the last answer), ready to go on typing.
        self.move_cursor(self.document.end)

    def start_over(self, starter: str) -> bool:
        """Empty the box (or put the starter code back) as one edit, so Ctrl+Z brings the old code back.

        Returns True when there was other code to keep.
        """
        if self.text == starter:
            return False
        self.replace(starter, self.document.start, self.document.end)
        self.move_cursor(self.document.end)
        return True

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter" or self.read_only:
            return  # TextArea's own handler (later in the MRO) does the rest
        event.stop()
        event.prevent_default()
        if wants_newline(self.text, self.cursor_location, self.document.end):
            line = self.document.get_line(self.cursor_location[0])
            indent = line[: len(line) - len(line.lstrip())]
            if line.rstrip().endswith(":"):
                indent += "    "
            self.insert("\n" + indent)
        else:
            self.post_message(self.Submitted())


def wants_newline(text: str, cursor: tuple[int, int], end: tuple[int, int]) -> bool:
    """True when Enter should start a new line: mid-text, inside a block, or unfinished code."""
    if tuple(cursor) != tuple(end):
        return True
    last = "" if not text or text.endswith("\n") else text.splitlines()[-1]
    if last.strip() and last[:1] in (" ", "\t"):
        return True  # still inside a block; an empty line ends it
    try:
        return codeop.compile_command(text, "<answer>", "exec") is None
    except (SyntaxError, ValueError, OverflowError):
        return False  # checking it will say what is wrong
