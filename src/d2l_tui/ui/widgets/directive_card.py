"""A card for an interactive block that this version shows but does not run yet, or cannot use."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text

from d2l_tui.course.directives import DIRECTIVES
from d2l_tui.course.prose import prepare_markdown
from d2l_tui.course.model import Block
from d2l_tui.ui.widgets.prose import ItemWidget


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
        super().__init__(self.describe(block), ref, classes=classes)
        self.block = block
        self.border_title = f"{block.type}" + (f" · {block.data['kind']}" if isinstance(block.data.get("kind"), str) else "")

    @staticmethod
    def describe(block: Block) -> Group:
        """Build the card's content from the block."""
        parts: list[object] = []
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
        if not block.known:
            note = f"This lesson uses a '{block.type}' block, which this version of d2l-tui does not know."
        elif block.broken:
            note = "This block has errors (above), so it cannot be used; the rest of the lesson works."
        else:
            note = f"A {DIRECTIVES[block.type].summary}: this version shows it but cannot run it yet."
        parts.append(Text(note, style="italic dim"))
        return Group(*parts)
