"""The `surface` panel's words in English and Chinese, and how it writes numbers."""

from __future__ import annotations

import math

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lr": "lr",
        "path": "start, now, path",
        "arrows": "∇f, uphill",
        "contours": "contours",
        "at-start": "at the start it curves like {kind}",
        "minimum": "a bowl (minimum: both λ > 0)",
        "maximum": "a cap (maximum: both λ < 0)",
        "saddle": "a saddle (λ1 < 0 < λ2)",
        "flat": "nothing definite yet (a λ ≈ 0)",
        "below": "2/λmax = {limit}: lr is below it, every direction shrinks",
        "at-limit": "2/λmax = {limit}: lr is right on it, the steepest direction swings for ever",
        "above": "2/λmax = {limit}: lr is above it, the steepest direction grows (diverges)",
        "no-limit": "no 2/λmax here: no direction curves up",
        "lr-bad": "type a number above 0 and at most {most}, e.g. 0.1",
        "status": "step {step}/{steps} · ({x}, {y}) · f = {f} · |∇f| = {g} · {doing}",
        "status-gone": "step {step}/{steps} · the point flew off to infinity: diverged (r resets)",
        "start": "not moved yet",
        "converging": "converging",
        "oscillating": "oscillating (zigzags across the valley)",
        "diverging": "diverging (each step overshoots further)",
        "escaping": "running downhill without end",
        "keys": "space/enter step · a run all · r reset · +/− lr · ← ↑ ↓ → move the start · Tab: type lr",
    },
    "zh": {
        "lr": "学习率",
        "path": "起点、当前点、路径",
        "arrows": "梯度 ∇f，指向上坡",
        "contours": "等高线",
        "at-start": "起点处弯得像{kind}",
        "minimum": "碗底（极小值：两个 λ 都 > 0）",
        "maximum": "山顶（极大值：两个 λ 都 < 0）",
        "saddle": "马鞍（鞍点：λ1 < 0 < λ2）",
        "flat": "还说不准（有一个 λ ≈ 0）",
        "below": "2/λmax = {limit}：学习率比它小，每个方向都在缩小",
        "at-limit": "2/λmax = {limit}：学习率正好等于它，最陡的方向会一直来回摆",
        "above": "2/λmax = {limit}：学习率比它大，最陡的方向越走越远（发散）",
        "no-limit": "这里没有 2/λmax：没有一个方向向上弯",
        "lr-bad": "请输入大于 0、不超过 {most} 的数，例如 0.1",
        "status": "第 {step}/{steps} 步 · ({x}, {y}) · f = {f} · |∇f| = {g} · {doing}",
        "status-gone": "第 {step}/{steps} 步 · 点已经飞向无穷远：发散了（按 r 重来）",
        "start": "还没有走",
        "converging": "正在收敛",
        "oscillating": "来回振荡（在山谷两侧之间折返）",
        "diverging": "发散（每一步都冲得更远）",
        "escaping": "一路下坡，没有尽头",
        "keys": "空格/回车 走一步 · a 走完全部步数 · r 重来 · +/− 调学习率 · ← ↑ ↓ → 移动起点 · Tab 输入学习率",
    },
}


def number(value: float) -> str:
    """A short number for the panel: 0.5, −1.25, 3.2e+04; tiny values as 0."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) < 1e-9:
        return "0"
    return f"{value:.4g}".replace("-", "−")
