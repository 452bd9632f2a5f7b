"""The GPU lab's sentences per language (English when there is no translation), and CJK-aware widths."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "cpu": "CPU    {model} ({cores} cores usable of {logical}, {machine})",
        "simd": "SIMD   {simd}",
        "simd-none": "not reported by the OS",
        "mxnet": "MXNet  {version} · {features}{cuda}",
        "mxnet-no-features": "no build features reported",
        "mxnet-no-cuda": " · no CUDA in this build",
        "mxnet-missing": "MXNet  not available: {problem}",
        "fix": "fix: {fix}",
        "fix-indent": "         ",
        "gpu": "GPU {index}  {name}, {memory}{driver}; {usable}",
        "gpu-memory": "{gib:.0f} GiB",
        "gpu-memory-unknown": "memory unknown",
        "gpu-driver": ", driver {driver}",
        "gpu-usable": "MXNet can use it",
        "gpu-unusable": "MXNet cannot use it",
        "gpus-none": "GPUs   none: mx.context.num_gpus() = {count}; nvidia-smi {smi}. Everything here runs on the CPU.",
        "note": "note   {note}",
        "matmul": "n×n times n×n, {dtype}, on {device}: 2n³ FLOPs each; median of {repeats} timed samples",
        "bandwidth": "On {device}; a copy reads and writes every byte (2 × the size moved), an add reads two arrays and writes one:",
        "overhead": "One tiny MXNet operation costs about {seconds} before any arithmetic.",
        "roofline": (
            "{device}, {dtype}, log-log axes: peak {peak:.3g} GFLOP/s (best matmul), bandwidth {bandwidth:.3g} "
            "GB/s (copy); the roofs meet at {ridge:.3g} FLOP/byte (┊). FLOP/s up, FLOP/byte across."
        ),
        "compute-bound": "compute-bound",
        "bandwidth-bound": "bandwidth-bound",
        "overhead-bound": "far under its {bound} roof: per-operation overhead limits it",
        "roof-compute": "compute",
        "roof-bandwidth": "bandwidth",
        "point": "{letter} {name}: {intensity:.3g} FLOP/byte; roof {roof:.3g} GFLOP/s, measured {measured:.3g} ({percent}); {verdict}",
        "col-card": "card",
        "col-mem": "mem",
        "this-cpu": "this CPU",
        "this-gpu": "this GPU",
        "compare": (
            "Known cards beside {machine} ({peak:.3g} GFLOP/s, {bandwidth:.3g} GB/s measured). TFLOP/s, GB, GB/s "
            "from vendor datasheets; × = card ÷ {machine}."
        ),
        "sources": "Sources (their URLs: d2l-tui gpu --format json):",
        "term-compute": "arithmetic",
        "term-bandwidth": "memory",
        "term-overhead": "fixed cost",
        "how-compute": "{steps} × {flops:.0f} FLOPs ÷ peak",
        "how-bandwidth": "{steps} × {bytes} ÷ bandwidth",
        "how-overhead": "{steps} × {seconds} a step{estimated}",
        "how-estimated": " (from the cost per operation)",
        "cost": (
            "Cost preview: linear regression, impl {impl}, batch {batch}, {examples:,} examples, {features} "
            "features: {steps} steps an epoch, each {ops} MXNet operations, {flops:.0f} FLOPs and {bytes} moved."
        ),
        "epoch": "≈ {seconds} an epoch; {total} for {epochs} epoch{plural}; the {binding} binds ({binds}).",
        "roof-only": (
            "The roofline alone would predict {seconds}: a model this small never reaches either roof; the fixed "
            "cost of each step decides."
        ),
        "assumptions": "Assumptions:",
    },
    "zh": {
        "cpu": "CPU    {model}（可用 {cores} 核，共 {logical} 个逻辑核，{machine}）",
        "simd": "SIMD   {simd}",
        "simd-none": "操作系统没有报告",
        "mxnet": "MXNet  {version} · {features}{cuda}",
        "mxnet-no-features": "没有报告编译特性",
        "mxnet-no-cuda": " · 这个版本不带 CUDA",
        "mxnet-missing": "MXNet  不可用：{problem}",
        "fix": "修复：{fix}",
        "fix-indent": "         ",
        "gpu": "GPU {index}  {name}，{memory}{driver}；{usable}",
        "gpu-memory": "显存 {gib:.0f} GiB",
        "gpu-memory-unknown": "显存未知",
        "gpu-driver": "，驱动 {driver}",
        "gpu-usable": "MXNet 能用它",
        "gpu-unusable": "MXNet 用不了它",
        "gpus-none": "GPU    没有：mx.context.num_gpus() = {count}；nvidia-smi {smi}。这里的一切都在 CPU 上运行。",
        "note": "注意   {note}",
        "matmul": "n×n 矩阵乘 n×n 矩阵，{dtype}，在 {device} 上：每次 2n³ 次浮点运算；取 {repeats} 次计时的中位数",
        "bandwidth": "在 {device} 上；复制（copy）把每个字节读一遍、写一遍（搬运量是大小的 2 倍），加法（add）读两个数组、写一个：",
        "overhead": "一个极小的 MXNet 操作，还没开始算就要花大约 {seconds}。",
        "roofline": (
            "{device}，{dtype}，双对数坐标：峰值 {peak:.3g} GFLOP/s（最快的矩阵乘法），带宽 {bandwidth:.3g} GB/s"
            "（复制）；两条屋顶在 {ridge:.3g} FLOP/byte 处相交（┊）。纵轴是 FLOP/s，横轴是 FLOP/byte。"
        ),
        "compute-bound": "受算力限制",
        "bandwidth-bound": "受带宽限制",
        "overhead-bound": "远低于它的{bound}屋顶：受每个操作的固定开销限制",
        "roof-compute": "算力",
        "roof-bandwidth": "带宽",
        "point": "{letter} {name}：{intensity:.3g} FLOP/byte；屋顶 {roof:.3g} GFLOP/s，实测 {measured:.3g}（{percent}）；{verdict}",
        "col-card": "显卡",
        "col-mem": "显存",
        "this-cpu": "本机 CPU",
        "this-gpu": "本机 GPU",
        "compare": (
            "已知显卡与{machine} 对比（{machine} 实测 {peak:.3g} GFLOP/s、{bandwidth:.3g} GB/s）。TFLOP/s、GB、GB/s "
            "取自厂商规格表；× = 显卡 ÷ {machine}。"
        ),
        "sources": "来源（网址见 d2l-tui gpu --format json）：",
        "term-compute": "算术",
        "term-bandwidth": "内存",
        "term-overhead": "固定开销",
        "how-compute": "{steps} × {flops:.0f} 次浮点运算 ÷ 峰值",
        "how-bandwidth": "{steps} × {bytes} ÷ 带宽",
        "how-overhead": "{steps} × 每步 {seconds}{estimated}",
        "how-estimated": "（由每个操作的开销推算）",
        "cost": (
            "开销预估：线性回归，实现 {impl}，批量大小 {batch}，{examples:,} 个样本，{features} 个特征：每轮 {steps} 步，"
            "每步 {ops} 个 MXNet 操作、{flops:.0f} 次浮点运算，搬运 {bytes}。"
        ),
        "epoch": "≈ 每轮 {seconds}；{epochs} 轮共 {total}；起决定作用的是{binding}（{binds}）。",
        "roof-only": "只看屋顶线会预测 {seconds}：这么小的模型哪条屋顶都碰不到，决定快慢的是每一步的固定开销。",
        "assumptions": "假设：",
        "headline": "{name} 的 fp32 算力约是{machine} 实测值的 {compute}，内存带宽约是它的 {bandwidth}。",
        "note-cards": (
            "厂商给的是峰值，按稠密计算（不算稀疏）；fp16 是张量核心（tensor core）按 fp32 累加的速率（GTX 1080 Ti 没有张量核心）。"
            "本机的数字是实测的真实水平，所以这些倍数对显卡略有偏袒。"
        ),
    },
}

ASSUMPTIONS_ZH = (
    "每步的工作量：书中从零实现的一步里的 MXNet 操作（take、dot、+ b、损失、backward、sgd、读回损失），"
    "每个操作都从内存读输入、写输出，数据类型 float32。（训练面板的引擎用更少的调用做同样的运算；"
    "下面的固定开销就是在这个引擎上实测的。）",
    "这些工作的耗时取两者中较大的：浮点运算量 ÷ 实测峰值，字节数 ÷ 实测复制带宽（即屋顶线）。",
    "再加上每步的固定开销：用书中的设置计时训练面板引擎的真实步骤测得，包括 Python、MXNet 每个操作的开销，"
    "以及等待每步损失的时间。",
    "每轮最后要在全部样本上算一次损失（多 7 个操作）。",
    "训练面板在 CPU 上运行；生成数据、画图和第一次导入 MXNet 的时间不算在内。",
)
"""cost.ASSUMPTIONS in Chinese, in the same order."""


def say(lang: str, key: str, **params: Any) -> str:
    """The sentence `key` in `lang`, filled with `params`."""
    table = WORDS.get(lang, WORDS["en"])
    return table.get(key, WORDS["en"].get(key, "")).format(**params)


def cells(text: str) -> int:
    """How many terminal columns `text` takes: CJK characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns."""
    return text + " " * max(0, width - cells(text))


_PIECES = re.compile(r"\s+|[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")
_NO_LINE_START = set("，。、；：？！）」』》”’")
_NO_LINE_END = set("（「『《“‘")


def wrap_cjk(text: str, width: int, indent: str, subsequent: str) -> list[str]:
    """Wrap text with Chinese in it by terminal columns: break between characters or at spaces, never inside a word."""
    lines: list[str] = []
    line: list[str] = [indent]  # the pieces of the line being filled
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if "".join(line[1:]).strip() or not lines:
                line.append(piece)  # spaces inside a line (and before the text) are kept: they align columns
            continue
        if cells("".join(line) + piece) > width and "".join(line[1:]).strip():
            # Closing punctuation may not start a line, nor an opening bracket end one: they move together.
            carried: list[str] = []
            while piece[0] in _NO_LINE_START and len(line) > 2 and (
                not carried or carried[0][0] in _NO_LINE_START
            ):
                carried.insert(0, line.pop())
            while len(line) > 2 and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = [subsequent, *carried]
        line.append(piece)
    lines.append("".join(line).rstrip())
    return lines


_PROGRESS_ZH = (
    (re.compile(r"matmul (\S+) (\S+) on (\S+)"), "{2} 上的矩阵乘法 {0}，{1}"),
    (re.compile(r"copy (\d+) MiB on (\S+)"), "{1} 上复制 {0} MiB"),
    (re.compile(r"add (\d+) MiB arrays on (\S+)"), "{1} 上把两个 {0} MiB 的数组相加"),
    (re.compile(r"(\d+) tiny operations on (\S+)"), "{1} 上的 {0} 个极小操作"),
    (re.compile(r"(\d+) real training steps \((\S+)\)"), "{0} 步真实训练（{1}）"),
)


def progress_label(label: str, lang: str) -> str:
    """What measure.py says it is timing (e.g. 'copy 16 MiB on cpu'), in `lang`; unchanged when unknown."""
    if lang == "zh":
        for pattern, words in _PROGRESS_ZH:
            if found := pattern.fullmatch(label):
                return words.format(*found.groups())
    return label
