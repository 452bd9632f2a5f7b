"""The served pages' HTML (landing, learner name, full, token needed) in zh and en; no file from the web."""

from __future__ import annotations

from typing import Any

import jinja2

from d2l_tui.words import Tables, table_for

WORDS: Tables = {
    "zh": {
        "name": "动手学深度学习 · 终端导师",
        "description": "边读边练：读课文、运行 MXNet 代码、做练习，进度为你保存。",
        "ask_name": "你叫什么？请输入一个学习者名（字母、数字或 -），下次用同一个名字就能接着学。",
        "bad_name": "这个名字不能用：只能有字母、数字和 -，最多 40 个字符，并以字母或数字开头。",
        "start": "开始学习",
        "loading": "正在启动导师……",
        "ended": "本次学习已结束，进度已保存。",
        "restart": "重新开始",
        "full": "现在学习的人已满（{limit} 人），请稍后再试。",
        "retry": "再试一次",
        "token": "这个地址需要带口令的链接。请向老师要完整的链接。",
        "you_are": "学习者：{learner}",
        "switch": "换一个名字",
    },
    "en": {
        "name": "Dive into Deep Learning · terminal tutor",
        "description": "Read the lessons, run MXNet code and answer quizzes; your progress is kept for you.",
        "ask_name": "What is your name? Type a learner name (letters, digits or -); use the same name next time to go on.",
        "bad_name": "That name cannot be used: letters, digits and - only, at most 40, starting with a letter or digit.",
        "start": "Start learning",
        "loading": "Starting the tutor...",
        "ended": "This session has ended; your progress is saved.",
        "restart": "Start again",
        "full": "The tutor is full right now ({limit} learners); please try again later.",
        "retry": "Try again",
        "token": "This address needs the link with its token. Ask your teacher for the whole link.",
        "you_are": "Learner: {learner}",
        "switch": "Use another name",
    },
}

STYLE = """
@font-face { font-family: "Roboto Mono"; src: url("{{ static }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
body { background: #0c181f; color: rgba(255,255,255,.95); margin: 0;
       font-family: "Roboto Mono", "Noto Sans Mono CJK SC", "WenQuanYi Zen Hei Mono", monospace; }
.card { max-width: 640px; margin: 12vh auto; padding: 32px; background: #12232d; text-align: center; }
h1 { font-size: 22px; } p { line-height: 1.6; }
input, button, a.button { font: inherit; padding: 10px 20px; margin: 8px; }
button, a.button { background: #5e0ba7; color: #fff; border: none; cursor: pointer; text-decoration: none; display: inline-block; }
.problem { color: #ffb86b; }
"""

CARD = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ w.name }}</title>
<style>""" + STYLE + """</style></head>
<body><div class="card"><h1>{{ w.name }}</h1><p>{{ w.description }}</p>{% block body %}{% endblock %}</div></body></html>
"""

TEMPLATES = {
    "card.html": CARD,
    "name.html": """{% extends "card.html" %}{% block body %}
<form method="get" action="{{ root }}"><p>{{ w.ask_name }}</p>
{% if problem %}<p class="problem">{{ w.bad_name }}</p>{% endif %}
<input name="learner" autofocus required maxlength="40" pattern="[A-Za-z0-9][A-Za-z0-9-]*" value="{{ typed }}">
<input type="hidden" name="lang" value="{{ lang }}">
<button type="submit">{{ w.start }}</button></form>{% endblock %}""",
    "full.html": """{% extends "card.html" %}{% block body %}
<p class="problem">{{ full }}</p><a class="button" href="">{{ w.retry }}</a>{% endblock %}""",
    "token.html": """{% extends "card.html" %}{% block body %}<p class="problem">{{ w.token }}</p>{% endblock %}""",
    "app.html": """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ w.name }}</title>
<link rel="stylesheet" href="{{ static }}css/xterm.css">
<script src="{{ static }}js/textual.js"></script>
<style>""" + STYLE + """
.intro { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; z-index: 10; }
.intro .card { margin: 0; }
body.-first-byte .intro { display: none; }
body .textual-terminal { opacity: 0; transition: opacity .3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.closed { display: none; }
body.-closed .closed { display: flex; }
#start { display: none; }
</style></head>
<body>
<div class="intro"><div class="card"><h1>{{ w.name }}</h1><p>{{ w.description }}</p>
<p>{{ you_are }}</p><p>{{ w.loading }}</p></div></div>
<div class="intro closed"><div class="card"><h1>{{ w.name }}</h1><p>{{ w.ended }}</p>
<a class="button" href="">{{ w.restart }}</a> <a class="button" href="?forget=1&lang={{ lang }}">{{ w.switch }}</a></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{{ websocket_url }}" data-font-size="{{ font_size }}"></div>
</body></html>""",
}

ENVIRONMENT = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)


def page_lang(query_lang: str | None, accept_language: str) -> str:
    """The page's language: `?lang=`, else English only when the browser prefers it, else Chinese."""
    if query_lang in ("zh", "en"):
        return query_lang
    return "en" if accept_language.lower().startswith("en") else "zh"


def render(template: str, lang: str, static: str, **values: Any) -> str:
    """The page `template` in `lang`, its links to the bundled static files under `static`."""
    words = table_for(WORDS, lang)
    return ENVIRONMENT.get_template(template).render(w=words, lang=lang, static=static, **values)
