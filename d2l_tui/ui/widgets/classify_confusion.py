"""A confusion matrix drawn as text: counts per (true, predicted) class pair, colour-coded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style

from d2l_tui.ui.widgets.classify_words import classify_labels
from d2l_tui.ui.widgets.image_view import fit_label
from d2l_tui.ui.widgets.loss_chart import Row, StripChart

NAME_WIDTH = 10
"""Cells for a row's class name ("7 运动鞋", "9 ankle…")."""
CELL_WIDTH = 5
STRONG = 0.1
"""A wrong cell holding at least this share of its row's images is drawn loudly."""


def confusion_counts(
    truth: Sequence[int], predicted: Sequence[int], classes: int
) -> list[list[int]]:
    """counts[t][p]: how many images of true class t were predicted as p (out-of-range ones skipped)."""
    counts = [[0] * classes for _ in range(classes)]
    for t, p in zip(truth, predicted, strict=True):
        if 0 <= t < classes and 0 <= p < classes:
            counts[int(t)][int(p)] += 1
    return counts


def count_text(count: int, width: int = CELL_WIDTH - 1) -> str:
    """A count in `width` characters: 1234 (or 1k when narrow), 12k."""
    text = str(count)
    return text if len(text) <= width else f"{count // 1000}k"


class ConfusionMatrix(StripChart):
    """Rows are true classes, columns predicted ones; the diagonal (right answers) in green.

    Wrong cells are red, bold when they hold `STRONG` of their row or more; zeros are a faint dot.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "confusion--right",
        "confusion--wrong",
        "confusion--strong",
        "confusion--zero",
        "confusion--axis",
    }
    DEFAULT_CSS = """
    ConfusionMatrix { height: auto; }
    ConfusionMatrix > .confusion--right { color: $success; text-style: bold; }
    ConfusionMatrix > .confusion--wrong { color: $error 80%; }
    ConfusionMatrix > .confusion--strong { color: $text; background: $error 60%; text-style: bold; }
    ConfusionMatrix > .confusion--zero { color: $foreground 30%; }
    ConfusionMatrix > .confusion--axis { color: $foreground 60%; }
    """

    def __init__(self, names: Sequence[str], *, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id)
        self.names = list(names)
        self.words = classify_labels(lang)
        self.counts: list[list[int]] | None = None

    def show(self, counts: list[list[int]] | None, names: Sequence[str] | None = None) -> None:
        """Draw new counts (None: nothing yet); `names` replaces the class names when given."""
        self.counts = counts
        if names is not None:
            self.names = list(names)
        self.invalidate()
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 2 + len(self.names) if self.counts else 1

    def cell_style(self, true: int, predicted: int, count: int, row_total: int) -> Style:
        """The style of one count: right, wrong, loudly wrong or zero."""
        style = self.get_component_rich_style
        if count == 0:
            return style("confusion--zero")
        if true == predicted:
            return style("confusion--right")
        strong = row_total > 0 and count / row_total >= STRONG
        return style("confusion--strong" if strong else "confusion--wrong")

    def build(self, width: int, height: int) -> list[Row]:
        words, axis = self.words, self.get_component_rich_style("confusion--axis")
        if not self.counts:
            return [[(words["confusion-later"], axis)]]
        title: Row = [(words["confusion"], Style(bold=True)), (words["confusion-axes"], axis)]
        labels = [
            fit_label(f"{t} {n}" if n != str(t) else n, NAME_WIDTH - 1)
            for t, n in enumerate(self.names)
        ]
        name_width = max(cell_len(label) for label in labels) + 1
        # Narrow (a lesson beside its outline at 80 columns): one column less per count.
        cell = CELL_WIDTH if width >= name_width + CELL_WIDTH * len(labels) else CELL_WIDTH - 1
        header = " " * name_width + "".join(
            str(i).rjust(cell - 1) + " " for i in range(len(labels))
        )
        rows: list[Row] = [title, [(header, axis)]]
        for true, (label, counts) in enumerate(zip(labels, self.counts, strict=True)):
            row: Row = [(label + " " * (name_width - cell_len(label)), axis)]
            total = sum(counts)
            for predicted, count in enumerate(counts):
                text = count_text(count, cell - 1) if count else "·"
                row.append((text.rjust(cell - 1), self.cell_style(true, predicted, count, total)))
                row.append((" ", Style()))
            rows.append(row)
        return rows
