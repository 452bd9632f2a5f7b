"""An exported notebook runs top to bottom in a real Jupyter kernel with MXNet and shows each `expect`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from d2l_tui.course.catalog import Course
from d2l_tui.course.loader import load_lesson
from d2l_tui.export.notebook import lesson_notebook
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.workbook import lesson_cells

KERNEL = "d2l-tui-export-test"


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kernelspec for this Python in a temporary prefix (nothing is installed for the user)."""
    prefix = tmp_path_factory.mktemp("jupyter")
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", KERNEL],
                   check=True, capture_output=True, timeout=120)
    return prefix / "share" / "jupyter"


def _run(notebook: nbformat.NotebookNode, kernel_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    NotebookClient(notebook, kernel_name=KERNEL, timeout=120).execute()


def _shown(cell: nbformat.NotebookNode) -> str:
    """What the cell printed, then its value: what the app compares with `expect`."""
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")
    values = [out.data["text/plain"] for out in cell.outputs if out.output_type == "execute_result"]
    return text + "".join(value.lstrip("\n") + "\n" for value in values)


def _notebook_of(text: str, folder: Path) -> nbformat.NotebookNode:
    """The notebook of an English lesson written as `text` (which must have no problems)."""
    path = folder / "lesson.md"
    path.write_text(text, encoding="utf-8")
    lesson = load_lesson(path, "en")
    assert not lesson.broken, lesson.problems
    return lesson_notebook(lesson)


def _normalized(text: str) -> str:
    """`expect`'s rule (trailing spaces aside); IPython's pretty printer also indents a tuple's items
    and breaks the line after a comma, where MXNet's repr starts each NDArray on a new line."""
    return "\n".join(line.strip() for line in text.rstrip().splitlines() if line.strip())


def test_the_scratch_lesson_runs_in_jupyter_and_shows_what_its_expects_say(
    kernel_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = Course.load(shipped_lessons_dir())
    lesson = course.get("linear-regression-scratch", "en")
    assert lesson is not None
    lesson = course.body(lesson)
    notebook = lesson_notebook(lesson)
    _run(notebook, kernel_dir, monkeypatch)
    expects = {key: block.data["expect"] for key, block in lesson_cells(lesson) if "expect" in block.data}
    cells = {cell.metadata["d2l_tui"]["cell"]: cell for cell in notebook.cells if "d2l_tui" in cell.metadata}
    assert len(expects) >= 3
    for key, expect in expects.items():
        assert _normalized(_shown(cells[key])) == _normalized(expect), key
    training = next(cell for cell in notebook.cells if cell.source.startswith("def train_scratch_panel"))
    printed = _shown(training)
    assert "epoch 3, loss" in printed and "true" in printed


PANELS = """---
id: panels
title: Panels
order: 1
lang: en
---

# Panels

A line $y = 2x$ first.

```code
setup: |
  import random
  random.seed(0)
  mx.random.seed(0)
  np.random.seed(0)
code: |
  x = 7
  x
expect: "7"
```

```train
id: poly-panel
model: poly
degree: 3
epochs: 2
examples: 100
```

```train
id: wide-panel
model: high-dim
epochs: 2
examples: 20
weight_decay: 3
```

```train
id: gluon-panel
impl: gluon
epochs: 1
batch_size: 100
```

```plot
function: "3*x**2 - 4*x"
x: [-1, 3]
tangent_at: 1
```

```graph
id: g
expression: (x + y)*z
inputs: {x: -2, y: 5, z: -4}
```

```device
```

```doctor
```

```code
code: |
  print(['%.4f' % v for v in nd.random.normal(shape=(2,)).asnumpy()], '%.4f' % np.random.rand(), '%.4f' % random.random())
  x
expect: |
  ['2.2122', '0.7740'] 0.5488 0.8444
  7
```
"""


def test_panels_become_code_that_runs_and_leaves_the_lessons_names_and_random_streams_alone(
    kernel_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    notebook = _notebook_of(PANELS, tmp_path)
    _run(notebook, kernel_dir, monkeypatch)
    shown = [_shown(cell) for cell in notebook.cells if cell.cell_type == "code"]
    everything = "\n".join(shown)
    assert "epoch 2, train loss" in everything and "||w|| =" in everything
    assert "epoch 1, loss:" in everything
    assert "slope of the tangent at x = 1: 2.0000" in everything
    assert "f = -12.0\ndf/dx = -4.0\ndf/dy = -4.0\ndf/dz = 3.0" in everything
    assert "GPUs:" in everything and "MXNet 1." in everything
    # The panels drew from their own generators and the graph's x = -2 lived inside its function:
    # the lesson's random streams (MXNet, NumPy, Python) and its x are as if they were not there.
    assert shown[-1] == "['2.2122', '0.7740'] 0.5488 0.8444\n7\n"


DIGITS_PANEL = """---
id: digits-panel
title: A digits panel
order: 1
---

```train
id: digits
model: mlp
dataset: digits
num_hidden: 32
epochs: 2
lr: 0.5
batch_size: 32
```
"""


def test_a_digits_panel_trains_on_the_shipped_digits_outside_the_app(
    kernel_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No Fashion-MNIST download: the exported panel reads the digits that ship with d2l-tui, as its cells do."""
    notebook = _notebook_of(DIGITS_PANEL, tmp_path)
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "load_data_digits" in source and "FashionMNIST" not in source
    # No code cell in this lesson, yet the prelude comes first: on Python 3.12's NumPy 1.26 the panel's
    # `import mxnet` needs the aliases it restores.
    assert "setattr(np, _name, _type)" in next(c.source for c in notebook.cells if c.cell_type == "code")
    _run(notebook, kernel_dir, monkeypatch)
    printed = "\n".join(_shown(cell) for cell in notebook.cells if cell.cell_type == "code")
    last = [line for line in printed.splitlines() if line.startswith("epoch 2, loss")]
    assert last, printed
    # 359 real test digits, five times chance at least. The DataLoader shuffles with NumPy's global generator,
    # which the panel leaves to the learner, so the figure varies: 0.70 to 0.89 over 2 epochs in our runs.
    assert float(last[0].rsplit("test acc", 1)[1]) > 0.5
