"""What the training core tells a learner (doctor, setting checks, run summaries), per language."""

from __future__ import annotations

from typing import Any

from d2l_tui.words import say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "loss-nan": "the loss became NaN",
        "loss-inf": "the loss became infinite",
        "loss-grew": "the loss grew over {factor:g}-fold, from {best:.3g} to {loss:.3g}",
        "loss-not-finite": "the loss over the dataset is no longer a finite number",
        "diverged": "diverged at step {step}: the learning rate is probably too large (lr={lr:g})",
        "hint-rising": "the loss went up this epoch: try a smaller learning rate than {lr:g}",
        "hint-stalled": "the loss is barely moving: try a larger learning rate than {lr:g}",
        "bad-model": "model must be one of: {options}",
        "bad-impl": "impl must be one of: {options}",
        "bad-lr": "learning rate must be a number from {low:g} to {high:g}, e.g. 0.03 (MXNet computes in float32)",
        "bad-batch_size": "batch size must be a whole number between 1 and the number of examples",
        "bad-batch-examples": (
            "batch size must be a whole number between 1 and the number of examples ({examples})"
        ),
        "bad-epochs": "epochs must be a whole number from 1 to {most}",
        "bad-examples": "examples must be a whole number from 1 to {most:,}",
        "bad-noise": "noise must be a number from 0 to {high:g}, e.g. 0.01",
        "bad-true_w": "true_w must be 1 to {most} numbers from -{high:g} to {high:g}, e.g. 2, -3.4",
        "bad-true_b": "true_b must be a number from -{high:g} to {high:g}, e.g. 4.2",
        "bad-steps": (
            "that is {steps:,} steps (epochs × examples / batch size); at most {most:,}: "
            "use fewer epochs or examples, or a larger batch"
        ),
        "bad-seed": "seed must be a whole number of 0 or more, e.g. 0",
        "bad-dataset": "dataset must be one of: {options}",
        "bad-num_hidden": "num_hidden must be a whole number from 1 to {most}, e.g. 256",
        "bad-activation": "activation must be one of: {options}",
        "bad-weight_decay": "weight_decay must be a number from 0 to {high:g}, e.g. 3",
        "bad-dropout": "dropout must be a number from 0 to {high:g}, e.g. 0.5",
        "bad-degree": "degree must be a whole number from 1 to {most}, e.g. 3",
        "bad-impl-model": "the {model} model trains with MXNet only: impl must be scratch or gluon",
        "bad-editable": "editable must be a list of setting names",
        "unknown-setting": "unknown setting '{name}'{hint}",
        "did-you-mean": " (did you mean '{name}'?)",
        "known": " (known: {names})",
        "summary": "{head}: {result}",
        "summary-loss": "loss {loss:.3g}",
        "summary-losses": "train loss {loss:.3g}, test loss {test:.3g}",
        "summary-acc": ", test acc {acc:.1%}",
        "summary-epochs": " ({epochs} epochs)",
        "summary-ended": "{outcome} after {steps} steps",
        "outcome-finished": "finished",
        "outcome-diverged": "diverged",
        "outcome-stopped": "stopped",
        "outcome-failed": "failed",
    },
    "zh": {
        "loss-nan": "损失变成了 NaN",
        "loss-inf": "损失变成了无穷大",
        "loss-grew": "损失涨了 {factor:g} 倍以上，从 {best:.3g} 涨到 {loss:.3g}",
        "loss-not-finite": "整个数据集上的损失已不是有限的数",
        "diverged": "在第 {step} 步发散了：学习率多半太大了（lr={lr:g}）",
        "hint-rising": "这个周期的损失反而上升了：试试比 {lr:g} 小的学习率",
        "hint-stalled": "损失几乎不动：试试比 {lr:g} 大的学习率",
        "bad-model": "model 只能是以下之一：{options}",
        "bad-impl": "impl 只能是以下之一：{options}",
        "bad-lr": "学习率 lr 必须是 {low:g} 到 {high:g} 之间的数，例如 0.03（MXNet 用 float32 计算）",
        "bad-batch_size": "批量大小 batch_size 必须是 1 到样本数之间的整数",
        "bad-batch-examples": "批量大小 batch_size 必须是 1 到样本数（{examples}）之间的整数",
        "bad-epochs": "epochs 必须是 1 到 {most} 之间的整数",
        "bad-examples": "examples 必须是 1 到 {most:,} 之间的整数",
        "bad-noise": "noise 必须是 0 到 {high:g} 之间的数，例如 0.01",
        "bad-true_w": "true_w 必须是 1 到 {most} 个 -{high:g} 到 {high:g} 之间的数，例如 2, -3.4",
        "bad-true_b": "true_b 必须是 -{high:g} 到 {high:g} 之间的数，例如 4.2",
        "bad-steps": "这样一共要 {steps:,} 步（周期数 × 样本数 / 批量大小），最多 {most:,} 步：请减少周期数或样本数，或加大批量",
        "bad-seed": "seed 必须是不小于 0 的整数，例如 0",
        "bad-dataset": "dataset 只能是以下之一：{options}",
        "bad-num_hidden": "隐藏单元数 num_hidden 必须是 1 到 {most} 之间的整数，例如 256",
        "bad-activation": "激活函数 activation 只能是以下之一：{options}",
        "bad-weight_decay": "权重衰减 weight_decay 必须是 0 到 {high:g} 之间的数，例如 3",
        "bad-dropout": "丢弃概率 dropout 必须是 0 到 {high:g} 之间的数，例如 0.5",
        "bad-degree": "多项式阶数 degree 必须是 1 到 {most} 之间的整数，例如 3",
        "bad-impl-model": "{model} 模型只能用 MXNet 训练：impl 必须是 scratch 或 gluon",
        "bad-editable": "editable 必须是设置名的列表",
        "unknown-setting": "没有叫 '{name}' 的设置{hint}",
        "did-you-mean": "（是不是想写 '{name}'？）",
        "known": "（可用的有：{names}）",
        "summary": "{head}：{result}",
        "summary-loss": "损失 {loss:.3g}",
        "summary-losses": "训练损失 {loss:.3g}，测试损失 {test:.3g}",
        "summary-acc": "，测试准确率 {acc:.1%}",
        "summary-epochs": "（{epochs} 个周期）",
        "summary-ended": "{steps} 步后{outcome}",
        "outcome-finished": "完成",
        "outcome-diverged": "发散",
        "outcome-stopped": "停止",
        "outcome-failed": "失败",
    },
}


def say(lang: str, key: str, **params: Any) -> str:
    """The message `key` in `lang` (English when there is no translation), filled with `params`."""
    return say_in(WORDS, lang, key, **params)


class Phrase(str):
    """A learner-facing message: its English text, with the key and values to say it in another language.

    It is a `str` so that events, run records and `d2l-tui train` keep handling plain English text;
    a panel asks `words(lang)` for the lesson's language. Values that are phrases are said in the
    same language.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Phrase:
        phrase = super().__new__(cls, say("en", key, **params))
        phrase.key, phrase.params = key, params
        return phrase

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        # copy and pickle rebuild a phrase from its key, not from its English text
        return (self.key,), self.params

    def words(self, lang: str) -> str:
        """The message in `lang`."""
        params = {name: in_language(value, lang) for name, value in self.params.items()}
        return say(lang, self.key, **params)


def in_language(text: Any, lang: str) -> Any:
    """A phrase in `lang`; anything else (an error's own text, a number) as it is."""
    return text.words(lang) if isinstance(text, Phrase) else text
