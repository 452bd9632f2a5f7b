"""Every word a classification panel draws, per language (class names come from the datasets)."""

from __future__ import annotations

from d2l_tui.words import table_for

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Training: classification",
        "overfit-title": "Training: underfitting and overfitting",
        "norm": "‖w‖ after the last epoch: {norm}",
        "confusion": "confusion matrix",
        "confusion-axes": " (rows: true class, columns: predicted)",
        "confusion-later": "(the confusion matrix appears after the first epoch)",
        "accuracy-caption": "accuracy",
        "train-loss": "  ━ train loss",
        "train-acc": "  ━ train acc",
        "test-acc": "  ━ test acc",
        "before": "  ━ before",
        "losses": "loss (log)",
        "pair-train": "  ━ train",
        "pair-test": "  ━ test",
        "data": "data",
        "true-curve": "  ━ true",
        "fitted-curve": "  ━ fitted",
        "data-later": "(the data appears when training starts)",
        "epochs": "{epochs} epochs",
        "press-start": "(press s to start training)",
        "wrong": "misclassified test images",
        "wrong-count": " ({count} of {total}; top: predicted, bottom: true)",
        "wrong-none": "(no misclassified test images yet)",
        "predicted": "{name}",
        "true": "{name}",
        "epoch-line": "epoch {epoch}: loss {loss}, train acc {train}, test acc {test}",
    },
    "zh": {
        "title": "训练：分类",
        "overfit-title": "训练：欠拟合与过拟合",
        "norm": "最后一个周期后的 ‖w‖：{norm}",
        "confusion": "混淆矩阵",
        "confusion-axes": "（行：真实类别，列：预测类别）",
        "confusion-later": "（第一个周期结束后显示混淆矩阵）",
        "accuracy-caption": "准确率",
        "train-loss": "  ━ 训练损失",
        "train-acc": "  ━ 训练准确率",
        "test-acc": "  ━ 测试准确率",
        "before": "  ━ 上次",
        "losses": "损失（对数）",
        "pair-train": "  ━ 训练",
        "pair-test": "  ━ 测试",
        "data": "数据",
        "true-curve": "  ━ 真实的",
        "fitted-curve": "  ━ 拟合的",
        "data-later": "（开始训练后显示数据）",
        "epochs": "{epochs} 个周期",
        "press-start": "（按 s 开始训练）",
        "wrong": "分错的测试图片",
        "wrong-count": "（{total} 张里错了 {count} 张；上：预测，下：真实）",
        "wrong-none": "（还没有分错的测试图片）",
        "predicted": "{name}",
        "true": "{name}",
        "epoch-line": "第 {epoch} 个周期：损失 {loss}，训练准确率 {train}，测试准确率 {test}",
    },
}


def classify_labels(lang: str) -> dict[str, str]:
    """The classification panel's words in a language (English when there are none for it)."""
    return table_for(LABELS, lang)
