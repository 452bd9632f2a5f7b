"""Every word a training panel draws, per language (the engine's words are in training.words)."""

from __future__ import annotations

from d2l_tui.words import table_for

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Training: linear regression",
        # keys
        "key-start": "s start", "key-pause": "space pause", "key-step": ". one step",
        "key-stop": "x stop", "key-reset": "r reset", "key-log": "y log/linear",
        "key-settings": "tab settings",
        # the settings the learner cannot change
        "fixed-impl": "impl {value}", "fixed-epochs": "{value} epochs",
        "fixed-examples": "{value} examples", "fixed-batch_size": "batch size {value}",
        "fixed-lr": "lr {value}", "fixed-noise": "noise {value}",
        "fixed-true_w": "true w [{value}]", "fixed-true_b": "true b {value}",
        "fixed-seed": "seed {value}",
        "still-using": "✘ {error} (still using {value})",
        "lesson-value": "✔ (the lesson's: {value})",
        # status line
        "idle": "ready", "starting": "starting", "running": "running", "paused": "paused",
        "stopping": "stopping", "finished": "finished", "stopped": "stopped",
        "diverged": "diverged", "failed": "failed",
        "plan": "  {total:,} steps: {epochs} epochs of {per_epoch:,} minibatches",
        "progress": "  epoch {epoch}/{epochs} · step {step:,}/{total:,} · {rate} steps/s",
        "progress-narrow": " ep {epoch}/{epochs} · {step}/{total} · {rate}/s",
        "left": " · {left} left", "left-narrow": " · {left} left",
        "seconds": "{value:.1f} s", "minutes": "{minutes} min {seconds:02d} s",
        "hours": "{hours} h {minutes:02d} min",
        # notes
        "no-mxnet": (
            "MXNet is unavailable: {reason} This run uses the NumPy engine instead. "
            "To train with MXNet: {fix}"
        ),
        "hint": "Hint: {hint}.",
        "diverged-note": "{message}. ({reason}.) Press r to reset.",
        "failed-note": "Training could not run: {message}", "fix": "  Fix: {fix}",
        "crashed": "Training stopped unexpectedly: {error}",
        "saved-unreadable": "The saved training runs could not be read ({why}); the file was set aside: {path}",
        "saved-failed": "The training runs could not be saved ({error}); they are kept until you quit.",
        # charts
        "loss": "loss", "log": " (log)", "linear": " (linear)", "now": "  ━ now",
        "before": "  ━ before", "before-label": "  ━ before: {label}",
        "same-settings": "same settings",
        "press-start": "(press s to start training)", "no-finite-loss": "(no finite loss to draw)",
        "steps": "{steps:,.0f} steps",
        "data": "data", "y-against": " (y against {name})", "learned-line": "  ━ learned",
        "true-line": "  ━ true", "data-later": "(the data appears when training starts)",
        "key-surface": "v loss surface",
        "surface": "loss surface", "surface-over": " (over {u}, {v}; the rest exact)",
        "path-line": "  ━ path", "exact-point": "  ✚ exact",
        "surface-later": "(the surface and the path appear when training starts)",
        # results and history
        "learned": "learned", "true": "true", "exact": "exact",
        "epoch": "epoch", "epoch-loss": "loss", "floor": "floor",
        "history": "This panel's runs, newest first:",
        "history-current": "  ← this run (the bright curve)",
        "history-ghost": "  ← the faint curve",
        "run-setting": "{name}={value}", "run-sep": " ",
    },
    "zh": {
        "title": "训练：线性回归",
        "key-start": "s 开始", "key-pause": "空格 暂停", "key-step": ". 走一步",
        "key-stop": "x 停止", "key-reset": "r 重置", "key-log": "y 对数/线性",
        "key-settings": "tab 改设置",
        "fixed-impl": "实现 impl {value}", "fixed-epochs": "{value} 个周期",
        "fixed-examples": "{value} 个样本", "fixed-batch_size": "批量大小 {value}",
        "fixed-lr": "学习率 lr {value}", "fixed-noise": "噪声 noise {value}",
        "fixed-true_w": "真实 w [{value}]", "fixed-true_b": "真实 b {value}",
        "fixed-seed": "随机种子 seed {value}",
        "still-using": "✘ {error}（仍在用 {value}）",
        "lesson-value": "✔（本课原值：{value}）",
        "idle": "就绪", "starting": "启动中", "running": "训练中", "paused": "已暂停",
        "stopping": "停止中", "finished": "完成", "stopped": "已停止",
        "diverged": "发散", "failed": "失败",
        "plan": "  共 {total:,} 步：{epochs} 个周期，每个周期 {per_epoch:,} 个小批量",
        "progress": "  周期 {epoch}/{epochs} · 步数 {step:,}/{total:,} · 每秒 {rate} 步",
        "progress-narrow": " 周期 {epoch}/{epochs} · {step}/{total} · {rate}/秒",
        "left": " · 还剩 {left}", "left-narrow": " · 剩 {left}",
        "seconds": "{value:.1f} 秒", "minutes": "{minutes} 分 {seconds:02d} 秒",
        "hours": "{hours} 小时 {minutes:02d} 分",
        "no-mxnet": (
            "MXNet 不可用：{reason} 这次改用 NumPy 引擎训练。要用 MXNet 训练，请运行：{fix}"
        ),
        "hint": "提示：{hint}。",
        "diverged-note": "{message}。{reason}。按 r 重置。",
        "failed-note": "无法训练：{message}", "fix": "  解决办法：{fix}",
        "crashed": "训练意外中止：{error}",
        "saved-unreadable": "保存的训练记录读不出来（{why}），文件已移到一边：{path}",
        "saved-failed": "训练记录没能保存（{error}），退出前仍然保留。",
        "loss": "损失", "log": "（对数）", "linear": "（线性）", "now": "  ━ 本次",
        "before": "  ━ 上次", "before-label": "  ━ 上次：{label}",
        "same-settings": "设置相同",
        "press-start": "（按 s 开始训练）", "no-finite-loss": "（没有有限的损失值可画）",
        "steps": "{steps:,.0f} 步",
        "data": "数据", "y-against": "（y 对 {name}）", "learned-line": "  ━ 学到的",
        "true-line": "  ━ 真实的", "data-later": "（开始训练后显示数据）",
        "key-surface": "v 损失曲面",
        "surface": "损失曲面", "surface-over": "（随 {u}、{v} 变化，其余取解析解）",
        "path-line": "  ━ 下降路径", "exact-point": "  ✚ 解析解",
        "surface-later": "（开始训练后显示曲面和路径）",
        "learned": "学到的", "true": "真实值", "exact": "解析解",
        "epoch": "周期", "epoch-loss": "损失", "floor": "下限",
        "history": "这个面板的训练，最新的在前：",
        "history-current": "  ← 本次（亮色曲线）",
        "history-ghost": "  ← 浅色曲线",
        "run-setting": "{name}={value}", "run-sep": "，",
    },
}

ENGINES: dict[str, dict[str, str]] = {
    "zh": {
        "MXNet nd, from scratch": "MXNet nd，从零实现",
        "NumPy (MXNet unavailable)": "NumPy（MXNet 不可用）",
    },
}
"""Engine names (as the engines give them, in English) said in another language."""


def labels(lang: str) -> dict[str, str]:
    """The panel's words in a language (English when there are none for it)."""
    return table_for(LABELS, lang)


def engine_name(engine: str, lang: str) -> str:
    """An engine's name for the learner in `lang`."""
    return ENGINES.get(lang, {}).get(engine, engine)


SETTING_NAMES: dict[str, dict[str, str]] = {
    # The code's identifier stays beside the words: it is what the book's code and `d2l-tui train` use.
    "zh": {
        "impl": "实现 impl", "lr": "学习率 lr", "batch_size": "批量大小 batch_size", "epochs": "周期数 epochs",
        "examples": "样本数 examples", "noise": "噪声 noise", "true_w": "真实权重 true_w",
        "true_b": "真实偏差 true_b", "seed": "随机种子 seed", "dataset": "数据集 dataset",
        "num_hidden": "隐藏单元数 num_hidden", "activation": "激活函数 activation",
        "weight_decay": "权重衰减 weight_decay", "dropout": "丢弃概率 dropout", "degree": "多项式阶数 degree",
    },
}
"""The editable settings' labels in a language; English shows the identifiers themselves."""


def setting_names(lang: str) -> dict[str, str]:
    """Each editable setting's label in `lang` (empty for English: the identifier is the label)."""
    return SETTING_NAMES.get(lang, {})
