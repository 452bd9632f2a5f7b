"""What the app itself says (notices, the quit question), in the course language."""

from __future__ import annotations

from typing import Any

from d2l_tui.words import plural, say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "no-lesson": "There is no lesson '{lesson_id}'.",
        "last-lesson": "That was the last lesson.",
        "first-lesson": "This is the first lesson.",
        "end-missing": "End of the lesson: {missing}. The lesson completes once every question is answered right (or its answer shown).",
        "end-unanswered": "{count} question{s} not answered yet",
        "end-waiting": "{count} prediction{s} waiting for a run of {their} panel",
        "end-missed": "{count} question{s} not yet answered right",
        "end-sep": "; ",
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
        "map-requires": "Take first: {ids}",
        "map-required": "{order} “{title}”",
        "map-required-sep": ", ",
        "map-more-errors": "… and {count} more (run d2l-tui check)",
        "map-progress-aside": "⚠ Your old progress file could not be read and was kept as {path}",
        "map-due": "Due today: {count} question{s} to review (R)",
        "palette-open": "Open this lesson",
        "palette-jump": "Jump to this section",
        "palette-placeholder": "Search lessons, sections and commands…",
        "palette-themes": "Search for themes…",
        "palette-no-matches": "Nothing found",
        "keymap-ignored": "{path} was ignored: {error}",
        "cmd-theme": "Theme", "cmd-theme-help": "Change the colours of the tutor",
        "cmd-keys": "Keys", "cmd-keys-help": "Show what each key does here",
        "cmd-quit": "Quit", "cmd-quit-help": "Save your place and quit",
        "cmd-maximize": "Maximize", "cmd-maximize-help": "Fill the screen with the focused block",
        "cmd-minimize": "Minimize", "cmd-minimize-help": "Put the block back in the lesson",
        "cmd-screenshot": "Screenshot", "cmd-screenshot-help": "Save an SVG picture of this screen",
        "lesson-problems": "This lesson has problems; what can be shown is shown below.",
        "help-title": "Help · 帮助  (Esc to close)",
        "help-intro": (
            "d2l-tui walks you through 《动手学深度学习》 (Dive into Deep Learning, MXNet edition). "
            "Lessons mix prose, live code, quizzes and training panels. Your progress is saved as you go."
        ),
        "help-palette": "Ctrl+P opens the command palette: type a lesson or section name to jump there.",
        "left-box": "Out of the text box: keys act on the lesson again.",
        "left-box-quiz": "Out of the answer box: keys act on the question (Enter: back in).",
        "left-box-code": "Out of the editor: keys act on the cell (Enter: edit again).",
        "left-box-train": "Out of the setting: keys act on the training panel.",
        "left-box-text": "Out of the text box: keys act on the lesson again.",
    },
    "zh": {
        "no-lesson": "没有 id 为“{lesson_id}”的课。",
        "last-lesson": "这已经是最后一课了。",
        "first-lesson": "这是第一课。",
        "end-missing": "读到这一课的结尾了：还有 {missing}。每道题都答对（或看过答案），这一课就完成了。",
        "end-unanswered": "{count} 道题没答",
        "end-waiting": "{count} 个预测在等面板训练",
        "end-missed": "{count} 道题没答对",
        "end-sep": "、",
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
        "map-required": "{order}《{title}》",
        "map-required-sep": "、",
        "map-more-errors": "……还有 {count} 个问题（运行 d2l-tui check 查看全部）",
        "map-progress-aside": "⚠ 旧的进度文件读不出来，已另存为 {path}",
        "map-due": "今天到期：{count} 道题要复习（R）",
        "palette-open": "打开这一课",
        "palette-jump": "跳到这一节",
        "palette-placeholder": "搜索课、小节和命令……",
        "palette-themes": "搜索主题……",
        "palette-no-matches": "没有找到",
        "keymap-ignored": "{path} 没有生效：{error}",
        "cmd-theme": "主题", "cmd-theme-help": "换一套配色",
        "cmd-keys": "按键", "cmd-keys-help": "看看这里每个键做什么",
        "cmd-quit": "退出", "cmd-quit-help": "记下读到的位置，然后退出",
        "cmd-maximize": "放大", "cmd-maximize-help": "让当前的块占满屏幕",
        "cmd-minimize": "还原", "cmd-minimize-help": "把放大的块放回课文中",
        "cmd-screenshot": "截图", "cmd-screenshot-help": "把这一屏存成 SVG 图片",
        "lesson-problems": "这一课有问题；能显示的部分照常显示在下面。",
        "help-title": "帮助（Esc 关闭）",
        "help-intro": "d2l-tui 带你一课一课地读《动手学深度学习》（MXNet 版）。每一课都有讲解、能运行的代码、测验和训练面板，进度会随时保存。",
        "help-palette": "Ctrl+P 打开命令面板：输入课名或小节名，直接跳过去。",
        "left-box": "已离开输入框：按键回到课文。",
        "left-box-quiz": "已离开答题框：按键作用于这道题（Enter 回到答题框）。",
        "left-box-code": "已离开编辑器：按键作用于代码格（Enter 继续编辑）。",
        "left-box-train": "已离开设置框：按键作用于训练面板。",
        "left-box-text": "已离开输入框：按键回到课文。",
    },
}


KEY_WORDS_ZH: dict[str, str] = {
    "back": "返回课程表", "bottom": "到结尾", "code-edit": "编辑", "code-interrupt": "停止运行",
    "code-leave": "退出编辑", "code-reset": "还原初始代码", "code-restart": "重启内核", "code-run": "运行", "code-run-above": "运行上方所有代码",
    "editor-select-all": "全选",
    "graph-next": "下一步", "graph-back": "上一步", "graph-forward": "到前向的结尾", "graph-backward": "到反向的结尾",
    "graph-reset": "从头开始",
    "confirm-no": "否", "confirm-yes": "是", "device-cancel": "取消", "device-measure": "测量",
    "doctor-recheck": "重新检查", "focus-outline": "到目录", "help-close": "关闭", "help": "帮助",
    "map-down": "下移", "map-up": "上移", "next-block": "下一个交互块", "next-hit": "下一个搜索结果",
    "next-lesson": "下一课", "open-lesson": "打开", "page-down": "下一页", "page-up": "上一页",
    "plot-left": "切线左移", "plot-right": "切线右移", "previous-block": "上一个交互块",
    "previous-lesson": "上一课", "quit": "退出", "quiz-down": "下一个选项", "quiz-hint": "提示",
    "quiz-leave": "离开答题框", "quiz-retry": "再试一次", "quiz-reveal": "看答案", "quiz-submit-code": "提交",
    "quiz-submit": "提交", "quiz-commit": "提交预测", "quiz-change": "改预测", "quiz-panel": "到面板", "quiz-toggle": "勾选", "quiz-up": "上一个选项", "review-back": "返回",
    "review-down": "下移", "review-open": "打开题目所在的课", "review-up": "上移", "review": "复习",
    "scratchpad-clear": "清空", "scratchpad-close": "返回", "scratchpad-interrupt": "停止运行", "scratchpad-history-down": "后一条",
    "scratchpad-history-up": "前一条", "scratchpad-restart": "重启内核", "scratchpad": "草稿本",
    "scroll-down": "下移", "scroll-up": "上移", "search-close": "关闭搜索", "search": "搜索",
    "solution-toggle": "展开/收起解答",
    "surface-step": "走一步", "surface-run": "走完全部步数", "surface-reset": "重来", "surface-lr-up": "学习率调大",
    "surface-lr-down": "学习率调小", "surface-left": "起点左移", "surface-right": "起点右移", "surface-up": "起点上移",
    "surface-down": "起点下移", "surface-lr-leave": "回到曲面",
    "switch-language": "中/En", "switch-theme": "换主题", "top": "到开头", "train-log": "对数/线性",
    "train-pause": "暂停/继续", "train-reset": "重置", "train-setting-leave": "回到面板", "train-start": "开始训练", "train-surface": "损失曲面",
    "train-step": "走一步", "train-stop": "停止",
}
"""What each key does, by binding id, for the Chinese Footer and help screen."""


TEXTUAL_KEY_WORDS_ZH: dict[str, str] = {
    "Scroll Up": "向上滚动", "Scroll Down": "向下滚动", "Scroll Left": "向左滚动", "Scroll Right": "向右滚动",
    "Scroll Home": "滚到开头", "Scroll End": "滚到结尾", "Page Up": "上一页", "Page Down": "下一页",
    "Page Left": "向左翻页", "Page Right": "向右翻页", "Copy selected text": "复制选中的文字",
    "Quit": "退出", "Focus Next": "下一个", "Focus Previous": "上一个", "palette": "命令面板",
    "Up": "上移", "Down": "下移", "First": "到第一项", "Last": "到最后一项", "Select": "选择",
    "Cursor up": "上移", "Cursor down": "下移", "Cursor left": "左移", "Cursor right": "右移",
    "Page up": "上一页", "Page down": "下一页", "Top": "到顶部", "Bottom": "到底部", "Home": "到行首", "End": "到行尾",
    "Go to bottom": "到底部", "Go to top": "到顶部", "Next command": "下一条命令", "Previous command": "上一条命令",
    "Exit the command palette": "关闭命令面板", "Next page": "下一页", "Previous page": "上一页",
    "Press button": "按下按钮", "Submit": "提交", "Select all": "全选", "Go to start": "到开头", "Go to end": "到结尾",
    "Move cursor left": "光标左移", "Move cursor right or accept the completion suggestion": "光标右移",
    "Delete character left": "删除左边的字", "Delete character right": "删除右边的字",
    "Cut selected text": "剪切选中的文字", "Paste text from the clipboard": "粘贴", "Cut": "剪切", "Copy": "复制",
    "Paste": "粘贴", "Undo": "撤销", "Redo": "重做", "Delete line": "删除这一行", "Select line": "选中这一行",
    "Delete to line start": "删除到行首", "Delete to line end": "删除到行尾",
    "Cursor line start": "到行首", "Cursor line end": "到行尾", "Cursor word left": "左移一个词",
    "Cursor word right": "右移一个词", "Cursor page up": "上一页", "Cursor page down": "下一页",
}
"""Textual's own bindings have no ids: their English descriptions, in Chinese."""


def key_words(lang: str, binding_id: str | None, description: str) -> str:
    """A binding's description in `lang`: the Chinese one when there is one, else its own."""
    if lang != "zh":
        return description
    if binding_id is not None and binding_id in KEY_WORDS_ZH:
        return KEY_WORDS_ZH[binding_id]
    return TEXTUAL_KEY_WORDS_ZH.get(description, description)


def say(lang: str, key: str, **params: Any) -> str:
    """The app's words for `key` in `lang` (English when there are none), filled with `params`."""
    return say_in(WORDS, lang, key, **params)


def end_missing(lang: str, counts: dict[str, int]) -> str:
    """The end-of-lesson notice: how many questions are unanswered, waiting for a run, or not yet right."""
    parts = [
        say(lang, f"end-{state}", count=count, s=plural(count), their="its" if count == 1 else "their")
        for state, count in counts.items() if count
    ]
    return say(lang, "end-missing", missing=say(lang, "end-sep").join(parts))
