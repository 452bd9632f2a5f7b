"""The classification panel's parts on their own: the confusion matrix and the accuracy chart."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult
from textual.widget import Widget

from d2l_tui.datasets import class_names, load_digits
from d2l_tui.ui.widgets.braille_canvas import BRAILLE_BLANK
from d2l_tui.ui.widgets.classify_chart import AccuracyChart, Curves
from d2l_tui.ui.widgets.classify_confusion import ConfusionMatrix, confusion_counts


def centroid_predictions() -> tuple[list[int], list[int]]:
    """A real classifier's test predictions on the digits: the nearest class mean (about 90 % right)."""
    split = load_digits(flat=True)
    means = np.stack([split.train_x[split.train_y == c].mean(axis=0) for c in range(10)])
    distances = ((split.test_x[:, None, :] - means[None]) ** 2).sum(axis=2)
    return split.test_y.tolist(), distances.argmin(axis=1).tolist()


class PartsApp(App[None]):
    """One widget on its own."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def line(widget: Widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def test_counts_add_up_by_true_and_predicted_class() -> None:
    truth, predicted = centroid_predictions()
    counts = confusion_counts(truth, predicted, 10)
    assert sum(map(sum, counts)) == len(truth)
    for c in range(10):
        assert sum(counts[c]) == truth.count(c)
        assert sum(row[c] for row in counts) == predicted.count(c)
    right = sum(counts[c][c] for c in range(10))
    assert right == sum(t == p for t, p in zip(truth, predicted, strict=True))
    assert confusion_counts([0, 12], [0, -1], 10)[0][0] == 1  # out-of-range labels are skipped


async def test_matrix_in_chinese_with_fashion_names_and_colours() -> None:
    truth, predicted = centroid_predictions()
    counts = confusion_counts(truth, predicted, 10)
    matrix = ConfusionMatrix(class_names("fashion-mnist", "zh"), lang="zh")
    async with PartsApp(matrix).run_test(size=(80, 24)) as pilot:
        assert line(matrix, 0).startswith("（第一个周期")
        matrix.show(counts)
        await pilot.pause()
        assert matrix.size.height == 12
        assert line(matrix, 0).startswith("混淆矩阵（行：真实类别")
        rows = [line(matrix, 2 + c) for c in range(10)]
        assert rows[7].startswith("7 运动鞋")
        assert rows[9].startswith("9 短靴")
        assert [int(v) if v != "·" else 0 for v in rows[3].split()[2:]] == counts[3]
        styles = {s.text.strip(): s.style for s in matrix.render_line(2 + 3) if s.text.strip()}
        right, zero = styles[str(counts[3][3])], styles["·"]
        assert right.bold and right.color != zero.color
        # The largest mistake of the test set is drawn loudly (a background), unlike a right answer.
        true, wrong = max(
            ((t, p) for t in range(10) for p in range(10) if t != p),
            key=lambda tp: counts[tp[0]][tp[1]],
        )
        cells = [s for s in matrix.render_line(2 + true) if s.text.strip()][1:]
        assert (
            cells[wrong].style.bgcolor is not None
            and cells[true].style.bgcolor != cells[wrong].style.bgcolor
        )


async def test_matrix_fits_60_columns_in_english() -> None:
    matrix = ConfusionMatrix(class_names("fashion-mnist", "en"))
    truth, predicted = centroid_predictions()
    async with PartsApp(matrix).run_test(size=(60, 20)) as pilot:
        matrix.show(confusion_counts(truth, predicted, 10))
        await pilot.pause()
        assert line(matrix, 2 + 9).startswith("9 ankle…")
        assert max(len(line(matrix, y).rstrip()) for y in range(12)) <= 60


async def test_accuracy_chart_puts_each_epoch_at_its_height() -> None:
    chart = AccuracyChart(lang="en")
    now = Curves(
        losses=[(s + 0.5, 2.0 / (1 + s)) for s in range(40)],
        train_acc=[0.5, 1.0],
        test_acc=[0.5, 1.0],
        steps_per_epoch=20,
        total_steps=40,
    )
    async with PartsApp(chart).run_test(size=(80, 24)) as pilot:
        assert "press s" in line(chart, 1)
        chart.show(now, None)
        await pilot.pause()
        assert "test acc" in line(chart, 0) and "before" not in line(chart, 0)
        assert line(chart, 1).rstrip().endswith("100%") and line(chart, 8).rstrip().endswith("0%")
        # Test accuracy 1.0 after the last epoch: a dot in the top row's last plot column.
        top = line(chart, 1)
        plot = top[9 : 9 + 80 - 9 - 5]
        assert plot.rstrip()[-1] != " " and ord(plot.rstrip()[-1]) > BRAILLE_BLANK
        assert "2 epochs" in line(chart, 9)
        chart.show(
            now, Curves(losses=[(0.5, 9.0)], test_acc=[0.2], steps_per_epoch=20, total_steps=40)
        )
        await pilot.pause()
        assert "before" in line(chart, 0)
        assert line(chart, 1).startswith("       2")  # the y-axis is still this run's losses
