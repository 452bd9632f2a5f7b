"""What the app itself says (notices, the quit question), in the course language."""

from __future__ import annotations

from typing import Any

from d2l_tui.words import say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "no-lesson": "There is no lesson '{lesson_id}'.",
        "last-lesson": "That was the last lesson.",
        "first-lesson": "This is the first lesson.",
        "end-missing": "End of the lesson: answer its {count} remaining question(s) to complete it.",
        "completed": "Lesson completed: {title} ✔",
        "one-language": "This course has one language only.",
        "theme": "Theme: {theme}",
        "quit-busy": "Something is still running. Quit anyway?",
        "yes": "Yes (y)",
        "no": "No (n)",
        "progress-aside-title": "Progress file kept aside",
        "progress-aside": "Your progress file could not be read ({error}). It was kept as {path} and a fresh one was started.",
        "mxnet-loading": "MXNet: loading in the background…",
        "mxnet-ready": "MXNet {version} ready",
        "mxnet-missing": "MXNet unavailable: {reason}\nFix: {fix}",
        "map-title": "Dive into Deep Learning · Course",
        "map-lesson": "Lesson",
        "map-minutes": "min",
        "map-quiz": "Quiz",
        "map-empty": "No lessons found in this language.",
        "map-requires": "requires: {ids}",
        "map-more-errors": "… and {count} more (run d2l-tui check)",
        "map-progress-aside": "⚠ Your old progress file could not be read and was kept as {path}",
        "palette-open": "Open this lesson",
        "palette-jump": "Jump to this section",
        "lesson-problems": "This lesson has problems; what can be shown is shown below.",
    },
    "zh": {
        "no-lesson": "没有 id 为“{lesson_id}”的课。",
        "last-lesson": "这已经是最后一课了。",
        "first-lesson": "这是第一课。",
        "end-missing": "读到这一课的结尾了：还有 {count} 道题没答对，答完这一课就完成了。",
        "completed": "完成了这一课：{title} ✔",
        "one-language": "这门课只有一种语言。",
        "theme": "主题：{theme}",
        "quit-busy": "还有任务在运行。仍然退出吗？",
        "yes": "退出 (y)",
        "no": "取消 (n)",
        "progress-aside-title": "进度文件已另存",
        "progress-aside": "进度文件读不出来（{error}）。它已另存为 {path}，并重新开始记录进度。",
        "mxnet-loading": "MXNet：正在后台加载……",
        "mxnet-ready": "MXNet {version} 已就绪",
        "mxnet-missing": "MXNet 不可用：{reason}\n解决办法：{fix}",
        "map-title": "动手学深度学习 · 课程",
        "map-lesson": "课",
        "map-minutes": "分钟",
        "map-quiz": "测验",
        "map-empty": "这种语言下没有课。",
        "map-requires": "先学：{ids}",
        "map-more-errors": "……还有 {count} 个问题（运行 d2l-tui check 查看全部）",
        "map-progress-aside": "⚠ 旧的进度文件读不出来，已另存为 {path}",
        "palette-open": "打开这一课",
        "palette-jump": "跳到这一节",
        "lesson-problems": "这一课有问题；能显示的部分照常显示在下面。",
    },
}


def say(lang: str, key: str, **params: Any) -> str:
    """The app's words for `key` in `lang` (English when there are none), filled with `params`."""
    return say_in(WORDS, lang, key, **params)
