"""Numbers quoted in the lessons match the curriculum, and the GPU lab's table matches the lesson's."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app import settle
from textual.widgets import DataTable, Static

from d2l_tui.course.catalog import Course
from d2l_tui.gpulab.cards import CARDS
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.ui.app import make_app

# Curriculum §6: fp32 TFLOP/s, fp16 tensor TFLOP/s (fp32 accumulate, dense), memory, bandwidth GB/s.
DATASHEETS = {
    "GTX 1080 Ti": (11.3, None, "11 GB", 484),
    "RTX 2080 Ti": (13.4, 53.8, "11 GB", 616),
    "RTX 3090": (35.6, 71, "24 GB", 936),
    "RTX 4090": (82.6, 165.2, "24 GB", 1008),
    "Tesla V100 SXM2": (15.7, 125, "16/32 GB", 900),
    "A100 SXM 80GB": (19.5, 312, "80 GB", 2039),
    "H100 SXM": (67, 989, "80 GB", 3350),
}
LANGS = ("zh", "en")


def lesson_text(lesson_id: str, lang: str) -> str:
    return (shipped_lessons_dir() / lang / f"{lesson_id}.md").read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by their first cell."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_gpu_lesson_table_matches_the_datasheets(lang: str) -> None:
    rows = table_rows(lesson_text("gpu", lang))
    for name, (fp32, fp16, memory, bandwidth) in DATASHEETS.items():
        cells = rows[name]
        assert float(cells[0]) == fp32, name
        assert cells[1] == ("—" if fp16 is None else f"{fp16:g}"), name
        assert cells[2] == memory, name
        assert float(cells[3]) == bandwidth, name


def test_gpu_lab_cards_match_the_datasheets() -> None:
    by_name = {card.name: card for card in CARDS}
    for name, (fp32, fp16, _memory, bandwidth) in DATASHEETS.items():
        card = by_name[name]
        assert (card.fp32_tflops, card.bandwidth_gbs) == (fp32, bandwidth), name
        assert card.fp16_tflops == fp16, name


@pytest.mark.parametrize("lang", LANGS)
def test_preface_quotes_the_imagenet_error_rates(lang: str) -> None:
    text = lesson_text("preface", lang)
    assert "28%" in text and "2.25%" in text and "2010" in text and "2017" in text


@pytest.mark.parametrize("lang", LANGS)
def test_scratch_lesson_quotes_the_book_reference_losses(lang: str) -> None:
    text = lesson_text("linear-regression-scratch", lang)
    for number in ("0.035", "1.3", "5e-5"):
        assert number in text.replace("5 × 10⁻⁵", "5e-5"), number


CHAPTER_3 = [
    ("softmax-regression", "linear-regression-gluon"),
    ("image-classification-data", "softmax-regression"),
    ("softmax-regression-scratch", "image-classification-data"),
    ("softmax-regression-gluon", "softmax-regression-scratch"),
    ("mlp", "softmax-regression-gluon"),
    ("mlp-scratch", "mlp"),
    ("mlp-gluon", "mlp-scratch"),
    ("underfit-overfit", "mlp-gluon"),
    ("weight-decay", "underfit-overfit"),
    ("dropout", "weight-decay"),
    ("backprop", "dropout"),
    ("numerical-stability", "backprop"),
]
"""Issue 16's lessons in course order (orders 11 to 22), each with the lesson it requires first."""


def test_course_has_twenty_two_lessons_per_language_in_order() -> None:
    course = Course.load(Path(shipped_lessons_dir()))
    expected = ["preface", "environment", "ndarray", "linear-algebra", "calculus", "autograd", "gpu",
                "linear-regression", "linear-regression-scratch", "linear-regression-gluon",
                *(lesson_id for lesson_id, _ in CHAPTER_3)]
    for lang in LANGS:
        assert [lesson.id for lesson in course.in_language(lang)] == expected
        for order, (lesson_id, first) in enumerate(CHAPTER_3, start=11):
            lesson = course.get(lesson_id, lang)
            assert lesson is not None and lesson.order == order and first in lesson.requires, lesson_id
            assert lesson.minutes, lesson.path
        for lesson in course.in_language(lang):
            kinds = {b.data.get("kind") for b in lesson.blocks if b.type == "quiz"}
            assert len([b for b in lesson.blocks if b.type == "quiz"]) >= (2 if lesson.id in ("preface", "environment") else 5), lesson.path
            assert lesson.requires or lesson.id == "preface", lesson.path
            assert kinds, lesson.path


@pytest.mark.parametrize(("lang", "size"), [("zh", (100, 30)), ("en", (60, 20))])
async def test_the_map_keeps_the_last_lesson_in_view_and_names_the_road_by_title(
    isolated_data_dir: Path, lang: str, size: tuple[int, int]
) -> None:
    app = make_app(data_dir=isolated_data_dir, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one("#lessons", DataTable)
        assert table.row_count == 22
        for _ in range(30):  # a key may land while the background parse redraws the map: press on
            if table.cursor_row == 21:
                break
            await pilot.press("down")
            await pilot.pause()
        await settle(pilot, app)
        assert table.cursor_row == 21
        # The last lesson's two-line summary takes a row from the table: the cursor stays in view.
        assert table.scroll_y <= 21 < table.scroll_y + table.size.height - 1
        detail = str(app.screen.query_one("#lesson-detail", Static).render())
        backprop = app.course.get("backprop", lang)
        assert backprop is not None and f"21{'《' if lang == 'zh' else ' “'}{backprop.title}" in detail.replace("\n", "")
        assert "backprop" not in detail  # the id is for files; the learner reads the title
