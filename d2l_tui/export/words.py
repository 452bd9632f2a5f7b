"""The words an exported notebook shows its reader, in zh and en."""

from __future__ import annotations

from typing import Any

from d2l_tui.words import Tables, say_in

TABLES: Tables = {
    "en": {
        "setup": "**Setup.** The lesson's cells ran this before anything else (imports and fixed random seeds).",
        "quiz": "**Question** (`{id}`)",
        "options": "Options:",
        "hint": "Hint",
        "answer": "Answer",
        "explain": "Why",
        "tolerance": "(within {tolerance})",
        "settings": "Settings to try on the training run below: {settings}",
        "predict": "Predict first, then run the training code with these settings and see.",
        "solution": "Worked solution",
        "train": "**Training** — {title}: the book's MXNet code with this panel's settings.",
        "train-digits": "Like the app's panel, this cell trains on the 8×8 digits that ship with d2l-tui (through `d2l_tui.d2lzh`, so d2l-tui must be installed where the notebook runs); the book uses Fashion-MNIST.",
        "plot": "**Plot** — {title}: values of the function and the slope of its tangent at x = {at}.",
        "surface": "**Surface** — {title}: $f(x, y) = $ `{function}` for x in {x}, y in {y}; gradient descent from {start} with learning rate {lr}, {steps} steps. The app draws it as a heat map; try it there.",
        "graph": "**Computational graph** — {title}: the forward values and the gradients MXNet's autograd gives.",
        "device": "**Devices** — which CPU and GPUs MXNet sees here.",
        "doctor": "**This machine** — the versions of Python, NumPy and MXNet.",
        "gallery": "**Gallery** — {count} images of {dataset} ({split} set, from number {start}), shown in the app.",
        "block": "**{type}** block (open the lesson in the app to use it):",
        "split-train": "training",
        "split-test": "test",
        "index": "Every lesson of the course, one notebook each, in order:",
        "course": "Dive into Deep Learning (MXNet)",
        "from": "Exported from the d2l-tui lesson `{id}`.",
    },
    "zh": {
        "setup": "**准备。** 本课的单元格在一切之前先运行这段代码（导入和固定随机种子）。",
        "quiz": "**问题**（`{id}`）",
        "options": "选项：",
        "hint": "提示",
        "answer": "答案",
        "explain": "为什么",
        "tolerance": "（误差 {tolerance} 以内）",
        "settings": "在下面的训练代码里试试这些设置：{settings}",
        "predict": "先预测，再用这些设置运行训练代码看看。",
        "solution": "参考解答",
        "train": "**训练** —— {title}：书中的 MXNet 代码，用这个面板的设置。",
        "train-digits": "和应用里的面板一样，这个单元用 d2l-tui 自带的 8×8 手写数字训练（通过 `d2l_tui.d2lzh`，所以运行本笔记本的环境里要装有 d2l-tui）；书中用的是 Fashion-MNIST。",
        "plot": "**函数图** —— {title}：函数的值，以及在 x = {at} 处切线的斜率。",
        "surface": "**曲面** —— {title}：$f(x, y) = $ `{function}`，x 取 {x}，y 取 {y}；从 {start} 出发做梯度下降，学习率 {lr}，共 {steps} 步。应用里画成热图，请在应用里试。",
        "graph": "**计算图** —— {title}：前向的值，以及 MXNet 的 autograd 算出的梯度。",
        "device": "**设备** —— MXNet 在这台机器上看到的 CPU 和 GPU。",
        "doctor": "**这台机器** —— Python、NumPy 和 MXNet 的版本。",
        "gallery": "**图片** —— {dataset} 的 {count} 张图片（{split}集，从第 {start} 张起），在应用里显示。",
        "block": "**{type}** 块（请在应用里打开本课使用）：",
        "split-train": "训练",
        "split-test": "测试",
        "index": "课程的每一课，各一个笔记本，按顺序：",
        "course": "动手学深度学习（MXNet）",
        "from": "由 d2l-tui 的课程 `{id}` 导出。",
    },
}


def say(lang: str, key: str, **params: Any) -> str:
    """`key` in `lang`, filled with `params`."""
    return say_in(TABLES, lang, key, **params)
