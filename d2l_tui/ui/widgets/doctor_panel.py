"""The `doctor` block: this machine's Python, NumPy, MXNet, CPU and GPUs, examined live."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.binding import Binding

from d2l_tui.course.model import Block
from d2l_tui.doctor import Finding, all_ok, collect
from d2l_tui.ui.reach import lang_of
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import table_for

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "examining": "Examining this machine…",
        "mxnet-loads": " (MXNet takes about a second to load)",
        "title": "doctor",
    },
    "zh": {
        "examining": "正在检查本机…",
        "mxnet-loads": "（加载 MXNet 大约要一秒）",
        "title": "环境检查",
    },
}
"""The panel's own words per language; the findings bring theirs from the doctor (see doctor.WORDS)."""


class DoctorPanel(ItemWidget):
    """Runs the same checks as `d2l-tui doctor` in a worker thread and shows the findings."""

    DEFAULT_CSS = """
    DoctorPanel { height: auto; padding: 0 1; margin: 0 0 1 0; border: round $success; }
    DoctorPanel.-missing { border: round $warning; }
    DoctorPanel:focus { border: round $accent; }
    """
    BINDINGS = [Binding("r", "recheck", "Check again", id="doctor-recheck")]
    can_focus = True

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.findings: list[Finding] | None = None
        self.lang = "en"

    def on_mount(self) -> None:
        self.lang = lang_of(self)
        words = table_for(LABELS, self.lang)
        self.border_title = self.block.data.get("title") or words["title"]
        self.update(Text(words["examining"] + words["mxnet-loads"], style="italic"))
        self.examine()

    def action_recheck(self) -> None:
        """Run the checks again (after the learner fixed something, say)."""
        self.update(Text(table_for(LABELS, self.lang)["examining"], style="italic"))
        self.examine()

    @work(thread=True, exclusive=True, group="doctor")
    def examine(self) -> None:
        """Collect the findings off the UI thread, then hand them to the UI thread."""
        findings = collect(self.lang)
        self.app.call_from_thread(self.show_findings, findings)

    def show_findings(self, findings: list[Finding]) -> None:
        """Render the findings as a table, with the fix under anything missing."""
        self.findings = findings
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="bold")
        # Fold rather than "…": a path must stay readable, and Rich can cut a Chinese line short at one exact width.
        table.add_column(overflow="fold")
        for finding in findings:
            mark = Text("✔", style="green") if finding.ok else Text("✘", style="bold red")
            value = Text(finding.value)
            if finding.fix:
                value.append(f"\nfix: {finding.fix}", style="yellow")
            table.add_row(mark, finding.name, value)
        self.set_class(not all_ok(findings), "-missing")
        self.update(table)
