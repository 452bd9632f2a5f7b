"""The interactive directives a lesson may contain, and the schema each one's YAML body must follow.

Later features (quiz grading, training panels, code cells, the GPU lab) extend these specs;
the loader and `d2l-tui check` only ever go through `validate_directive`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

KeyPath = tuple[str, ...]
Finding = tuple[KeyPath, str]
"""A problem inside a directive body: the key it concerns (empty for the whole block) and a message."""


@dataclass(frozen=True)
class DirectiveSpec:
    """What a directive's YAML body may hold."""

    name: str
    summary: str
    required: dict[str, type | tuple[type, ...]] = field(default_factory=dict)
    optional: dict[str, type | tuple[type, ...]] = field(default_factory=dict)
    extra_check: Callable[[dict[str, Any]], list[Finding]] | None = None
    body: Literal["yaml", "markdown"] = "yaml"
    """"markdown": the body is Markdown for the learner, and the keys are `key=value` on the fence line."""

    @property
    def keys(self) -> list[str]:
        """Every key this directive accepts."""
        return [*self.required, *self.optional]


def _feature(module: str, name: str) -> Any:
    """A feature's checker, imported when a block of that kind is first validated (not at start-up)."""
    import importlib

    return getattr(importlib.import_module(module), name)


_NUMBER = (int, float)
_TEXT = str

DIRECTIVES: dict[str, DirectiveSpec] = {
    spec.name: spec
    for spec in (
        DirectiveSpec(
            "quiz",
            "a question that grades the learner's answer",
            required={"id": _TEXT, "kind": _TEXT, "prompt": _TEXT},
            optional={
                "explain": _TEXT,
                "hint": _TEXT,
                "options": list,
                "answer": (str, int, float, list),
                "tolerance": (dict, int, float),
                "unit": _TEXT,
                "solution": _TEXT,
                "starter": _TEXT,
                "shuffle": bool,
                "panel": _TEXT,
                "settings": dict,
            },
            extra_check=lambda data: _feature("d2l_tui.quiz.model", "validate")(data),
        ),
        DirectiveSpec(
            "code",
            "a live MXNet code cell",
            required={"code": _TEXT},
            optional={"id": _TEXT, "setup": _TEXT, "expect": _TEXT, "title": _TEXT},
        ),
        DirectiveSpec(
            "train",
            "a live training panel",
            optional={
                "id": _TEXT,
                "model": _TEXT,
                "impl": _TEXT,
                "lr": _NUMBER,
                "batch_size": int,
                "epochs": int,
                "examples": int,
                "noise": _NUMBER,
                "true_w": list,
                "true_b": _NUMBER,
                "seed": int,
                "editable": list,
                "title": _TEXT,
                "show": list,
                # The models' own settings (training.config.MODEL_SETTINGS says which model takes which).
                "dataset": _TEXT,
                "num_hidden": int,
                "activation": _TEXT,
                "weight_decay": _NUMBER,
                "dropout": _NUMBER,
                "degree": int,
            },
            extra_check=lambda data: [
                ((p.key,), p.message) for p in _feature("d2l_tui.training.config", "TrainConfig").from_mapping(data)[1]
            ],
        ),
        DirectiveSpec(
            "device",
            "a panel measuring this machine's CPU and GPUs",
            optional={"id": _TEXT, "show": list, "quick": bool, "title": _TEXT},
            extra_check=lambda data: _feature("d2l_tui.gpulab.block", "validate_device")(data),
        ),
        DirectiveSpec(
            "plot",
            "a drawing of a function of x, with its tangent at a point",
            required={"function": _TEXT},
            optional={"id": _TEXT, "title": _TEXT, "x": list, "tangent_at": _NUMBER, "editable": bool},
            extra_check=lambda data: _feature("d2l_tui.course.plotfn", "validate_plot")(data),
        ),
        DirectiveSpec(
            "surface",
            "a function of x and y as a heat map, its gradient and Hessian, and gradient descent on it",
            required={"function": _TEXT},
            optional={"id": _TEXT, "title": _TEXT, "x": list, "y": list, "start": list, "lr": _NUMBER, "steps": int},
            extra_check=lambda data: _feature("d2l_tui.surfaces.model", "validate_surface")(data),
        ),
        DirectiveSpec(
            "graph",
            "a computational graph the learner steps through, forward (values) and backward (gradients)",
            required={"expression": _TEXT, "inputs": dict},
            optional={"id": _TEXT, "title": _TEXT, "predict": bool},
            extra_check=lambda data: _feature("d2l_tui.graphs.block", "validate_graph")(data),
        ),
        DirectiveSpec(
            "solution",
            "a worked solution, folded until the learner asks for it or settles its quiz",
            optional={"for": _TEXT, "title": _TEXT},
            body="markdown",
        ),
        DirectiveSpec(
            "doctor",
            "this machine's Python, NumPy, MXNet, CPU and GPUs, as `d2l-tui doctor` reports them",
            optional={"title": _TEXT},
        ),
        DirectiveSpec(
            "gallery",
            "a row of a dataset's images with their class names (the book's show_fashion_mnist)",
            optional={"id": _TEXT, "title": _TEXT, "dataset": _TEXT, "split": _TEXT, "start": int, "count": int},
            extra_check=lambda data: _gallery_findings(data),
        ),
    )
}


def _gallery_findings(data: dict[str, Any]) -> list[Finding]:
    """A gallery block's dataset, split and range: known names, up to 20 images from 0 on."""
    names = _feature("d2l_tui.datasets.catalog", "dataset_names")()
    findings: list[Finding] = []
    if data.get("dataset") is not None and data["dataset"] not in names:
        findings.append((("dataset",), f"unknown dataset {data['dataset']!r} (known: {', '.join(names)})"))
    if data.get("split") is not None and data["split"] not in ("train", "test"):
        findings.append((("split",), f"split must be train or test, not {data['split']!r}"))
    if data.get("start") is not None and data["start"] < 0:
        findings.append((("start",), "start must be 0 or more (the first image is 0)"))
    if data.get("count") is not None and not 1 <= data["count"] <= 20:
        findings.append((("count",), "count must be from 1 to 20"))
    return findings


def _type_name(expected: type | tuple[type, ...]) -> str:
    """Name a type (or a tuple of types) the way a lesson author would say it."""
    words = {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping", bool: "true or false"}
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(dict.fromkeys(words.get(t, t.__name__) for t in types))


def _has_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    """Check a YAML value's type; YAML booleans are not numbers here."""
    types = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def validate_directive(name: str, data: Any) -> list[Finding]:
    """Return every problem in a directive body, or an empty list when it is valid."""
    spec = DIRECTIVES.get(name)
    if spec is None:
        known = ", ".join(sorted(DIRECTIVES))
        return [((), f"unknown directive '{name}' (this version knows: {known})")]
    if not isinstance(data, dict):
        return [((), f"the body of a {name} block must be YAML key: value pairs")]
    findings: list[Finding] = []
    for key in spec.required:
        if key not in data:
            findings.append(((), f"{name} block is missing required key '{key}'"))
    for key, value in data.items():
        expected = spec.required.get(key) or spec.optional.get(key)
        if expected is None:
            close = difflib.get_close_matches(str(key), spec.keys, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(spec.keys)})"
            findings.append(((str(key),), f"unknown key '{key}' in {name} block{hint}"))
        elif value is not None and not _has_type(value, expected):
            findings.append(((str(key),), f"'{key}' must be {_type_name(expected)}, not {value!r}"))
    if spec.extra_check and not findings:
        findings.extend(spec.extra_check(data))
    return findings
