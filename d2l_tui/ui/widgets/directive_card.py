"""A card for an interactive block that this version shows but does not run yet, or cannot use."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text

from d2l_tui.course.directives import DIRECTIVES
from d2l_tui.course.model import Block
from d2l_tui.course.prose import prepare_markdown
from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import table_for

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "unknown": "This lesson uses a '{type}' block, which this version of d2l-tui does not know.",
        "broken": "This block has errors (above), so it cannot be used; the rest of the lesson works.",
        "not-yet": "A {summary}: this version shows it but cannot run it yet.",
    },
    "zh": {
        "unknown": "这一课用了“{type}”块，这个版本的 d2l-tui 还不认识它。",
        "broken": "这个块有错误（见上方），没法使用；这一课的其余部分照常可用。",
        "not-yet": "这是一个 {type} 块：这个版本能显示它，但还不能运行。",
    },
}
"""The card's closing note per language (the block's problems stay as the course checker words them)."""


class DirectiveCard(ItemWidget):
    """Shows a directive block: what it is, its main content, and what is missing or broken."""

    DEFAULT_CSS = """
    DirectiveCard { height: auto; padding: 0 1; margin: 0 0 1 0; border: round $secondary; }
    DirectiveCard.-broken, DirectiveCard.-unknown { border: round $error; }
    DirectiveCard:focus { border: round $accent; }
    """
    can_focus = True

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        classes = "-broken" if block.broken and block.known else ("-unknown" if not block.known else "")
        super().__init__(self.describe(block), ref, classes=classes)  # English until mounted
        self.block = block
        self.border_title = f"{block.type}" + (f" · {block.data['kind']}" if isinstance(block.data.get("kind"), str) else "")

    def on_mount(self) -> None:
        lang = lang_of(self)
        if lang != "en":
            self.update(self.describe(self.block, lang))

    @staticmethod
    def describe(block: Block, lang: str = "en") -> Group:
        """Build the card's content from the block."""
        parts: list[RenderableType] = []
        if block.problems:
            for problem in block.problems:
                parts.append(Text(f"✘ {problem}", style="bold red"))
            parts.append(Text(""))
        data = block.data
        if isinstance(data.get("title"), str):
            parts.append(Text(data["title"], style="bold"))
        if isinstance(data.get("prompt"), str):
            parts.append(Markdown(prepare_markdown(data["prompt"])))
        for index, option in enumerate(data.get("options") or []):
            parts.append(Text(f"  {chr(ord('A') + index)}. {option}"))
        if isinstance(data.get("code"), str):
            parts.append(Syntax(data["code"].rstrip(), "python", theme="monokai", word_wrap=True))
        words = table_for(LABELS, lang)
        if not block.known:
            note = words["unknown"].format(type=block.type)
        elif block.broken:
            note = words["broken"]
        else:
            note = words["not-yet"].format(type=block.type, summary=DIRECTIVES[block.type].summary)
        parts.append(Text(note, style="italic dim"))
        return Group(*parts)
