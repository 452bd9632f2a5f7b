"""One interactive block as notebook cells: quizzes as Markdown with folded answers, panels as code."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

from d2l_tui.course.model import Block
from d2l_tui.export.training import in_function, training_code
from d2l_tui.export.words import say
from d2l_tui.training.config import CLASSIFIERS, TrainConfig

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def block_cells(block: Block, lang: str) -> list[NotebookNode]:
    """The cells standing for one block other than a code cell (code cells carry the learner's work)."""
    if block.broken:
        return [_as_source(block, lang)]
    if block.type == "quiz":
        return [new_markdown_cell(quiz_markdown(block.data, lang))]
    if block.type == "solution":
        return [new_markdown_cell(_folded(say(lang, "solution"), block.source.strip("\n")))]
    if block.type == "train":
        return _train_cells(block, lang)
    maker = _OTHERS.get(block.type)
    if maker is not None:
        return maker(block.data, lang)
    return [_as_source(block, lang)]


def _as_source(block: Block, lang: str) -> NotebookNode:
    """A block the notebook cannot stand in for (unknown or broken), shown as its source."""
    fence = "````yaml\n" + block.source.rstrip("\n") + "\n````"
    return new_markdown_cell(say(lang, "block", type=block.type) + "\n\n" + fence)


def _folded(summary: str, body: str) -> str:
    """A `<details>` Jupyter shows closed; the blank lines let the body render as Markdown."""
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def _option_text(option: Any) -> str:
    return str(option.get("text", "")) if isinstance(option, dict) else str(option)


def _answer(data: dict[str, Any]) -> str:
    """The quiz's answer in words: the chosen options, the number, or the solution's code."""
    options = data.get("options") or []
    answer = data.get("answer")
    if data.get("kind") == "code" and isinstance(data.get("solution"), str):
        return "```python\n" + data["solution"].rstrip("\n") + "\n```"
    picks = [p for p in (answer if isinstance(answer, list) else [answer])
             if isinstance(p, int) and not isinstance(p, bool) and 0 <= p < len(options)]
    if picks:
        return "\n".join(f"- {LETTERS[p % 26]}. {_option_text(options[p])}" for p in picks)
    if answer is None:
        return ""
    unit = f" {data['unit']}" if data.get("unit") else ""
    return f"{answer}{unit}"


def quiz_markdown(data: dict[str, Any], lang: str) -> str:
    """A quiz as Markdown: its prompt and options, then hint and answer folded away."""
    parts = [f"{say(lang, 'quiz', id=data.get('id', ''))} {data.get('prompt', '')}".rstrip()]
    options = data.get("options") or []
    if options:
        parts.append(say(lang, "options") + "\n\n" + "\n".join(
            f"- {LETTERS[i % 26]}. {_option_text(option)}" for i, option in enumerate(options)))
    if isinstance(data.get("starter"), str):
        parts.append("```python\n" + data["starter"].rstrip("\n") + "\n```")
    if isinstance(data.get("settings"), dict):
        settings = ", ".join(f"`{k} = {v}`" for k, v in data["settings"].items())
        parts.append(say(lang, "settings", settings=settings) + " " + say(lang, "predict"))
    if data.get("hint"):
        parts.append(_folded(say(lang, "hint"), str(data["hint"])))
    answer = _answer(data)
    explain = f"**{say(lang, 'explain')}** {data['explain']}" if data.get("explain") else ""
    body = "\n\n".join(part for part in (answer, explain) if part)
    if body:
        parts.append(_folded(say(lang, "answer"), body))
    return "\n\n".join(parts)


def _train_cells(block: Block, lang: str) -> list[NotebookNode]:
    config, _problems = TrainConfig.from_mapping(block.data)
    title = str(block.data.get("title") or block.data.get("id") or config.model)
    intro = say(lang, "train", title=title)
    if config.model in CLASSIFIERS and config.dataset == "digits":
        intro += "\n\n" + say(lang, "train-digits")
    return [new_markdown_cell(intro), new_code_cell(training_code(config, f"train_{block.data.get('id') or 'panel'}"))]


def _plot(data: dict[str, Any], lang: str) -> list[NotebookNode]:
    low, high = (data.get("x") or [-2, 2])[:2]
    at = data.get("tangent_at", (low + high) / 2)
    body = (
        "import numpy as np\n"
        "from numpy import exp, log, log2, log10, sqrt, sin, cos, tan, tanh, sinh, cosh, arctan, maximum, minimum, pi, e\n\n"
        f"def f(x):\n    return {data['function']}\n\n"
        f"for x in np.linspace({low}, {high}, 9):\n    print('f(%.3f) = %.4f' % (x, f(x)))\n"
        f"x0, h = {at}, 1e-5\n"
        "print('slope of the tangent at x = %g: %.4f' % (x0, (f(x0 + h) - f(x0 - h)) / (2 * h)))\n"
    )
    code = in_function(f"plot_{data.get('id') or 'function'}", body)
    title = data.get("title") or data["function"]
    return [new_markdown_cell(say(lang, "plot", title=title, at=at)), new_code_cell(code)]


def _graph(data: dict[str, Any], lang: str) -> list[NotebookNode]:
    inputs: dict[str, Any] = data.get("inputs") or {}
    names = list(inputs)
    lines = [
        "from mxnet import autograd, nd",
        "exp, log, sigmoid, relu, tanh, sin, cos = nd.exp, nd.log, nd.sigmoid, nd.relu, nd.tanh, nd.sin, nd.cos",
        "",
        *(f"{name} = nd.array([{value}])" for name, value in inputs.items()),
        *(f"{name}.attach_grad()" for name in names),
        "with autograd.record():",
        f"    f = {data['expression']}",
        "f.backward()",
        "print('f =', f.asscalar())",
        *(f"print('df/d{name} =', {name}.grad.asscalar())" for name in names),
    ]
    title = data.get("title") or data["expression"]
    code = in_function(f"graph_{data.get('id') or 'expression'}", "\n".join(lines))
    return [new_markdown_cell(say(lang, "graph", title=title)), new_code_cell(code)]


def _surface(data: dict[str, Any], lang: str) -> list[NotebookNode]:
    text = say(lang, "surface", title=data.get("title") or data["function"], function=data["function"],
               x=data.get("x", "—"), y=data.get("y", "—"), start=data.get("start", "—"),
               lr=data.get("lr", "—"), steps=data.get("steps", "—"))
    return [new_markdown_cell(text)]


def _device(_data: dict[str, Any], lang: str) -> list[NotebookNode]:
    code = ("import mxnet as mx\n\n"
            "print('GPUs:', mx.context.num_gpus())\n"
            "print('contexts:', [mx.cpu()] + [mx.gpu(i) for i in range(mx.context.num_gpus())])\n")
    return [new_markdown_cell(say(lang, "device")), new_code_cell(code)]


def _doctor(_data: dict[str, Any], lang: str) -> list[NotebookNode]:
    code = ("import platform\n\nimport mxnet as mx\nimport numpy as np\n\n"
            "print('Python', platform.python_version())\nprint('NumPy', np.__version__)\nprint('MXNet', mx.__version__)\n")
    return [new_markdown_cell(say(lang, "doctor")), new_code_cell(code)]


def _gallery(data: dict[str, Any], lang: str) -> list[NotebookNode]:
    text = say(lang, "gallery", count=data.get("count", 10), dataset=data.get("dataset", "digits"),
               split=say(lang, f"split-{data.get('split', 'train')}"), start=data.get("start", 0))
    return [new_markdown_cell(text)]


_OTHERS = {"plot": _plot, "graph": _graph, "surface": _surface, "device": _device, "doctor": _doctor, "gallery": _gallery}
