"""`d2l-tui export`: lessons as valid notebooks, math kept, answers folded, the learner's work, the CLI."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from d2l_tui.cli import main
from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson
from d2l_tui.course.model import Lesson
from d2l_tui.export.notebook import lesson_notebook
from d2l_tui.export.training import training_code
from d2l_tui.export.words import TABLES
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.training.config import CLASSIFIERS, MODELS, TrainConfig
from d2l_tui.workbook import SavedCell, Workbook, lesson_cells

SHIPPED = Course.load(shipped_lessons_dir())


def _lesson(lang: str, lesson_id: str) -> Lesson:
    lesson = SHIPPED.get(lesson_id, lang)
    assert lesson is not None
    return SHIPPED.body(lesson)


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("lesson", SHIPPED.lessons, ids=lambda lesson: f"{lesson.lang}-{lesson.id}")
def test_every_shipped_lesson_exports_a_valid_notebook_whose_code_parses(lesson: Lesson) -> None:
    notebook = lesson_notebook(SHIPPED.body(lesson))
    nbformat.validate(notebook)
    for cell in (cell for cell in notebook.cells if cell.cell_type == "code"):
        ast.parse(cell.source)  # a SyntaxError fails the test with the cell's line
        # Generated code (prelude, plots, panels) needs nothing of d2l-tui but the digits a digits panel
        # reads; a lesson's own cells may use the book's helpers (`from d2l_tui import d2lzh as d2l`).
        uses = "d2l_tui" in cell.source.replace("from d2l_tui import d2lzh as d2l  # the 8×8 digits", "")
        assert not uses or "cell" in cell.metadata.get("d2l_tui", {})
    # Every code cell of the lesson is there, in order.
    keys = [cell.metadata["d2l_tui"]["cell"] for cell in notebook.cells if "d2l_tui" in cell.metadata]
    assert keys == [key for key, _block in lesson_cells(lesson)]


def test_math_stays_latex_for_jupyter_and_setup_comes_first() -> None:
    notebook = lesson_notebook(_lesson("en", "linear-regression-scratch"))
    assert r"$\mathcal{N}(0, 1)$" in _markdown(notebook)
    assert "𝒩" not in _markdown(notebook)  # not the terminal's Unicode rendering
    first = _code(notebook)[0]
    assert "from mxnet import nd, autograd, gluon, init" in first and "np.random.seed(0)" in first
    assert _code(notebook)[1].startswith("num_inputs = 2")


def test_a_quiz_shows_its_options_and_folds_hint_and_answer() -> None:
    markdown = _markdown(lesson_notebook(_lesson("en", "ndarray")))
    quiz = markdown[markdown.index("`ndarray-broadcast-shapes`") if "`ndarray-broadcast-shapes`" in markdown
                    else markdown.index("Which pairs of shapes can be added directly"):]
    before_answer, _, answer = quiz.partition("<summary>Answer</summary>")
    assert "- E. (2, 3) and (3, 2)" in before_answer
    assert "<details>\n<summary>Hint</summary>" in before_answer
    folded = answer.partition("</details>")[0]
    assert "- A. (3, 1) and (1, 4)" in folded and "- D. (2, 3, 4) and (3, 1)" in folded
    assert "(2, 3) and (3, 2)" not in folded.split("**Why**")[0]


def test_a_code_quiz_answer_is_its_solution_and_chinese_labels_are_chinese() -> None:
    markdown = _markdown(lesson_notebook(_lesson("zh", "ndarray")))
    assert "<summary>答案</summary>" in markdown and "<summary>Answer</summary>" not in markdown
    assert "```python\nnd.arange(1, 10).reshape((9, 1)) * nd.arange(1, 10).reshape((1, 9))\n```" in markdown
    assert set(TABLES["zh"]) == set(TABLES["en"])
    # The words written for the notebook hold no English a learner reads (code and names aside).
    for text in TABLES["zh"].values():
        prose = re.sub(r"`[^`]*`|\$[^$]*\$|\{[a-z_-]+\}|MXNet|NumPy|Python|CPU|GPU|autograd|Fashion-MNIST|d2l-tui", "", text)
        assert not re.search(r"[A-Za-z]{2,}", prose), text


def test_with_my_work_the_learners_code_and_last_output_are_exported(tmp_path: Path) -> None:
    lesson = _lesson("en", "ndarray")
    (first_key, _), (second_key, second) = lesson_cells(lesson)[:2]
    book = Workbook.open(tmp_path)
    result = {"status": "ok", "output": "hello\n", "value_repr": "\n[1. 2.]\n<NDArray 2 @cpu(0)>"}
    book.put(first_key, SavedCell("print('hello')\nnd.array([1, 2])", result, 1.0))
    book.put(second_key + "-not-this-one", SavedCell("ignored"))
    assert book.save()
    notebook = lesson_notebook(lesson, Workbook.open(tmp_path))
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    mine = cells[1]
    assert mine.source == "print('hello')\nnd.array([1, 2])"
    assert mine.outputs[0]["text"] == "hello\n"
    assert mine.outputs[1]["data"]["text/plain"] == "[1. 2.]\n<NDArray 2 @cpu(0)>"
    assert cells[2].source == second.data["code"].rstrip("\n") and cells[2].outputs == []
    # Without --with-my-work the lesson's own code goes out.
    assert "print('hello')" not in "".join(_code(lesson_notebook(lesson)))


@pytest.mark.parametrize("model", MODELS)
def test_a_training_panel_becomes_the_books_code_with_its_settings(model: str) -> None:
    values = {"lr": 0.0123, "epochs": 7}
    config = TrainConfig.for_model(model, values)
    code = training_code(config, "train_panel")
    ast.parse(code)
    assert "0.0123" in code and "7" in code
    # Only the shipped digits come from d2l-tui; Fashion-MNIST is the book's own Gluon dataset.
    assert ("d2l_tui" in code) == (model in CLASSIFIERS and config.dataset == "digits")
    if model in CLASSIFIERS:
        fashion = training_code(TrainConfig.for_model(model, {"dataset": "fashion-mnist"}))
        assert "d2l_tui" not in fashion and "gdata.vision.FashionMNIST(train=True)" in fashion
    assert code.rstrip().endswith("train_panel()")
    gluon = training_code(TrainConfig.for_model("linear-regression", {"impl": "gluon"}))
    assert "gluon.Trainer" in gluon and "def sgd" not in gluon


def test_cli_exports_one_lesson_and_never_replaces_a_notebook_unasked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "lr.ipynb"
    args = ["export", "linear-regression-gluon", "--lang", "zh", "-o", str(target), "--data-dir", str(tmp_path / "d")]
    assert main(args) == 0
    notebook = nbformat.read(target, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["d2l_tui"] == {"lesson": "linear-regression-gluon", "lang": "zh", "title": _lesson("zh", "linear-regression-gluon").title}
    target.write_text("edited in Jupyter", encoding="utf-8")
    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "edited in Jupyter"
    assert main([*args, "--force"]) == 0
    assert nbformat.read(target, as_version=4).cells
    assert main(["export", "no-such-lesson", "--lang", "en", "-o", str(tmp_path / "x.ipynb")]) == 1
    assert "no lesson 'no-such-lesson' in en" in capsys.readouterr().err
    assert main(["export", "--lang", "en"]) == 2


def test_cli_exports_the_whole_course_with_an_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--all", "--lang", "en", "-o", str(tmp_path), "--data-dir", str(tmp_path / "d")]) == 0
    lessons = SHIPPED.in_language("en")
    written = sorted(path.name for path in tmp_path.glob("*.ipynb"))
    assert len(written) == len(lessons) + 1 and "index.ipynb" in written
    index = nbformat.read(tmp_path / "index.ipynb", as_version=4).cells[0].source
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", index)
    assert links == [name for name in written if name != "index.ipynb"]
    assert f"[{lessons[0].title}]" in index
    assert str(tmp_path / "index.ipynb") in capsys.readouterr().out


def test_an_untrusted_lesson_exports_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "odd.md").write_text(
        "---\nid: odd\ntitle: Odd\norder: 1\nlang: en\n---\n\n# Odd\n\nPlain $x^2$ words.\n\n"
        f"```code\nsetup: |\n  open({str(marker)!r}, 'w').close()\ncode: |\n  open({str(marker)!r}, 'w').close()\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "odd.ipynb"
    assert main(["export", "odd", "--lang", "en", "--lessons", str(lessons), "-o", str(out), "--data-dir", str(tmp_path / "d")]) == 0
    assert not marker.exists()
    notebook = nbformat.read(out, as_version=4)
    assert "Plain $x^2$ words." in _markdown(notebook)
    assert sum(str(marker) in source for source in _code(notebook)) == 2  # the setup cell and the cell


def test_a_broken_block_is_shown_as_its_source(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\nid: broken\ntitle: B\norder: 1\nlang: en\n---\n\n# B\n\n```quiz\nid: q\nkind: choice\n```\n", encoding="utf-8")
    notebook = lesson_notebook(load_lesson(path, "en"))
    assert "```yaml\nid: q\nkind: choice\n````" in _markdown(notebook)


def test_cli_with_my_work_reads_the_data_folders_cells(tmp_path: Path) -> None:
    lesson = _lesson("en", "calculus")
    key, _block = lesson_cells(lesson)[0]
    book = Workbook.open(tmp_path / "data")
    book.put(key, SavedCell("mine = 41 + 1\nmine", {"status": "ok", "output": "", "value_repr": "42"}, 2.0))
    assert book.save()
    out = tmp_path / "calculus.ipynb"
    common = ["export", "calculus", "--lang", "en", "--data-dir", str(tmp_path / "data")]
    assert main([*common, "--with-my-work", "-o", str(out)]) == 0
    cell = next(c for c in nbformat.read(out, as_version=4).cells if c.metadata.get("d2l_tui", {}).get("cell") == key)
    assert cell.source == "mine = 41 + 1\nmine" and cell.outputs[0]["data"]["text/plain"] == "42"
    assert main([*common, "-o", str(tmp_path / "plain.ipynb")]) == 0
    assert "mine = 41 + 1" not in (tmp_path / "plain.ipynb").read_text(encoding="utf-8")


def test_exporting_imports_neither_textual_nor_mxnet() -> None:
    import subprocess
    import sys

    code = ("import sys; from d2l_tui.export.write import export_one; from d2l_tui.export.notebook import lesson_notebook; "
            "print(' '.join(sys.modules))")
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert "nbformat" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "mxnet")}
