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
        "help-title": "Help · 帮助  (Esc to close)",
        "help-intro": (
            "d2l-tui walks you through 《动手学深度学习》 (Dive into Deep Learning, MXNet edition). "
            "Lessons mix prose, live code, quizzes and training panels. Your progress is saved as you go."
        ),
        "help-palette": "Ctrl+P opens the command palette: type a lesson or section name to jump there.",
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
        "help-title": "帮助 · Help（Esc 关闭）",
        "help-intro": "d2l-tui 带你一课一课地读《动手学深度学习》（MXNet 版）。每一课都有讲解、能运行的代码、测验和训练面板，进度会随时保存。",
        "help-palette": "Ctrl+P 打开命令面板：输入课名或小节名，直接跳过去。",
    },
}


KEY_WORDS_ZH: dict[str, str] = {
    "back": "返回课程表", "bottom": "到结尾", "code-edit": "编辑", "code-interrupt": "停止运行",
    "code-leave": "退出编辑", "code-reset": "还原初始代码", "code-restart": "重启内核", "code-run": "运行",
    "confirm-no": "否", "confirm-yes": "是", "device-cancel": "取消", "device-measure": "测量",
    "doctor-recheck": "重新检查", "focus-outline": "到目录", "help-close": "关闭", "help": "帮助",
    "map-down": "下移", "map-up": "上移", "next-block": "下一个交互块", "next-hit": "下一个搜索结果",
    "next-lesson": "下一课", "open-lesson": "打开", "page-down": "下一页", "page-up": "上一页",
    "plot-left": "切线左移", "plot-right": "切线右移", "previous-block": "上一个交互块",
    "previous-lesson": "上一课", "quit": "退出", "quiz-down": "下一个选项", "quiz-hint": "提示",
    "quiz-leave": "离开答题框", "quiz-retry": "再试一次", "quiz-reveal": "看答案", "quiz-submit-code": "提交",
    "quiz-submit": "提交", "quiz-toggle": "勾选", "quiz-up": "上一个选项", "review-back": "返回",
    "review-down": "下移", "review-open": "打开题目所在的课", "review-up": "上移", "review": "复习",
    "scratchpad-clear": "清空", "scratchpad-close": "返回", "scratchpad-interrupt": "停止运行", "scratchpad-history-down": "后一条",
    "scratchpad-history-up": "前一条", "scratchpad-restart": "重启内核", "scratchpad": "草稿本",
    "scroll-down": "下移", "scroll-up": "上移", "search-close": "关闭搜索", "search": "搜索",
    "switch-language": "中/En", "switch-theme": "换主题", "top": "到开头", "train-log": "对数/线性",
    "train-pause": "暂停/继续", "train-reset": "重置", "train-setting-leave": "回到面板", "train-start": "开始训练",
    "train-step": "走一步", "train-stop": "停止",
}
"""What each key does, by binding id, for the Chinese help screen (the Footer keeps Textual's own)."""


TEXTUAL_KEY_WORDS_ZH: dict[str, str] = {
    "Scroll Up": "向上滚动", "Scroll Down": "向下滚动", "Scroll Left": "向左滚动", "Scroll Right": "向右滚动",
    "Scroll Home": "滚到开头", "Scroll End": "滚到结尾", "Page Up": "上一页", "Page Down": "下一页",
    "Page Left": "向左翻页", "Page Right": "向右翻页", "Copy selected text": "复制选中的文字",
    "Quit": "退出", "Focus Next": "下一个", "Focus Previous": "上一个",
}
"""Textual's own bindings have no ids: their English descriptions, in Chinese."""


def key_words(lang: str, binding_id: str | None, description: str) -> str:
    """A binding's description in `lang`: the Chinese one when there is one, else its own."""
    if lang != "zh":
        return description
    if binding_id in KEY_WORDS_ZH:
        return KEY_WORDS_ZH[binding_id]  # type: ignore[index]
    return TEXTUAL_KEY_WORDS_ZH.get(description, description)


def say(lang: str, key: str, **params: Any) -> str:
    """The app's words for `key` in `lang` (English when there are none), filled with `params`."""
    return say_in(WORDS, lang, key, **params)
