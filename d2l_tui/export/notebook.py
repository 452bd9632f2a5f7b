"""A lesson as an nbformat-4 notebook: prose, setup, code cells (optionally the learner's), blocks."""

from __future__ import annotations

import sys
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from d2l_tui.course.model import Block, Lesson
from d2l_tui.export.blocks import block_cells
from d2l_tui.export.source import segments
from d2l_tui.export.words import say
from d2l_tui.workbook import SavedCell, Workbook, lesson_cells

PRELUDE = (
    "import numpy as np\n"
    "# MXNet 1.9.1 still uses NumPy aliases removed in NumPy 1.24 (np.bool ...): put them back first.\n"
    "for _name, _type in {'bool': bool, 'int': int, 'float': float, 'complex': complex,\n"
    "                     'object': object, 'str': str}.items():\n"
    "    if _name not in np.__dict__:\n"
    "        setattr(np, _name, _type)\n"
    "import mxnet as mx\n"
    "from mxnet import nd, autograd, gluon, init\n"
)
"""What the app's kernel imports before any cell runs (kernel/worker.py), so cells may use `nd`, `np`,
with the NumPy aliases `mxnet_env` restores, so the notebook runs on Python 3.12's NumPy 1.26 too."""


MXNET_BLOCKS = frozenset({"code", "train", "graph", "device", "doctor"})
"""Blocks whose exported cells import MXNet, so the prelude (NumPy aliases, imports) goes first."""


def setup_code(lesson: Lesson) -> str:
    """The prelude and every code cell's `setup`, in order: the app runs them when the kernel starts."""
    parts = [PRELUDE.rstrip("\n")]
    parts += [block.data["setup"].rstrip("\n") for block in lesson.blocks
              if block.type == "code" and not block.broken and isinstance(block.data.get("setup"), str)]
    return "\n".join(parts) + "\n"


def _outputs(result: dict[str, Any], count: int) -> list[NotebookNode]:
    """A saved run's result as Jupyter outputs: printed text, the error, then the value."""
    outputs: list[NotebookNode] = []
    if result.get("output"):
        outputs.append(new_output("stream", name="stdout", text=result["output"]))
    if result.get("error"):
        outputs.append(new_output("stream", name="stderr", text=result["error"]))
    if isinstance(result.get("value_repr"), str):
        value = result["value_repr"].lstrip("\n")  # as the app shows it (MXNet's repr starts with a newline)
        outputs.append(new_output("execute_result", data={"text/plain": value}, execution_count=count))
    return outputs


def _code_cell(key: str, block: Block, saved: SavedCell | None, count: int) -> NotebookNode:
    """A lesson's code cell (the learner's code and last outputs when `saved`), tagged with its key."""
    metadata = {"d2l_tui": {"cell": key}}
    if saved is None:
        return new_code_cell(block.data["code"].rstrip("\n"), metadata=metadata)
    cell = new_code_cell(saved.code.rstrip("\n"), metadata=metadata)
    if saved.result is not None:
        cell.execution_count = count
        cell.outputs = _outputs(saved.result, count)
    return cell


def lesson_notebook(lesson: Lesson, workbook: Workbook | None = None, text: str | None = None) -> NotebookNode:
    """The lesson as a notebook; with `workbook`, its code cells hold the learner's code and last outputs.

    `lesson` must have its body loaded. Nothing is run: an untrusted lesson exports like any other.
    """
    keys = {id(block): key for key, block in lesson_cells(lesson)}
    cells: list[NotebookNode] = [new_markdown_cell(f"*{say(lesson.lang, 'from', id=lesson.id)}*")]
    # Panels, graphs and the machine checks import MXNet too: the aliases must be back before them.
    if any(block.type in MXNET_BLOCKS for block in lesson.blocks):
        cells += [new_markdown_cell(say(lesson.lang, "setup")), new_code_cell(setup_code(lesson).rstrip("\n"))]
    count = 0
    for segment in segments(lesson, text):
        if isinstance(segment, str):
            cells.append(new_markdown_cell(segment))
        elif segment.type == "code" and id(segment) in keys:
            saved = workbook.get(keys[id(segment)]) if workbook is not None else None
            count += saved is not None and saved.result is not None
            cells.append(_code_cell(keys[id(segment)], segment, saved, count))
        else:
            cells += block_cells(segment, lesson.lang)
    notebook = new_notebook(cells=_merge_markdown(cells), metadata=_metadata(lesson))
    nbformat.validate(notebook)
    return notebook


def _merge_markdown(cells: list[NotebookNode]) -> list[NotebookNode]:
    """Join neighbouring Markdown cells (prose, then a quiz, then prose) into one, as an author would."""
    merged: list[NotebookNode] = []
    for cell in cells:
        if merged and cell.cell_type == merged[-1].cell_type == "markdown":
            merged[-1].source += "\n\n" + cell.source
        else:
            merged.append(cell)
    return merged


def _metadata(lesson: Lesson) -> dict[str, Any]:
    return {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": ".".join(map(str, sys.version_info[:3]))},
        "d2l_tui": {"lesson": lesson.id, "lang": lesson.lang, "title": lesson.title},
    }


def index_notebook(lessons: list[Lesson], files: dict[str, str], lang: str) -> NotebookNode:
    """A notebook linking every exported lesson (`files`: lesson id -> file name), in course order."""
    lines = [f"# {say(lang, 'course')}", "", say(lang, "index"), ""]
    lines += [f"{n}. [{lesson.title}]({files[lesson.id]})" + (f" — {lesson.summary}" if lesson.summary else "")
              for n, lesson in enumerate(lessons, 1) if lesson.id in files]
    notebook = new_notebook(cells=[new_markdown_cell("\n".join(lines))],
                            metadata={"d2l_tui": {"index": True, "lang": lang}})
    nbformat.validate(notebook)
    return notebook
