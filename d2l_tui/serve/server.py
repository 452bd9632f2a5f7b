"""The web server: textual-serve's routes, with a learner per visitor, a token check and a cap on live sessions."""

from __future__ import annotations

import asyncio
import hmac
import logging
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from d2l_tui.serve.learners import learner_dir, valid_learner
from d2l_tui.serve.pages import WORDS, page_lang, render

log = logging.getLogger("d2l-tui.serve")

LEARNER_COOKIE = "d2l_learner"
TOKEN_COOKIE = "d2l_token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def tutor_command(data: Path, learner: str, lessons: Path | None = None) -> str:
    """The shell command that runs this learner's own tutor (the same app as in a terminal)."""
    words = [sys.executable, "-m", "d2l_tui", "--data-dir", str(learner_dir(data, learner))]
    if lessons is not None:
        words += ["--lessons", str(lessons)]
    return shlex.join(words)


class TutorServer(Server):
    """textual-serve's Server, one tutor process per browser tab, each learner in their own data folder."""

    def __init__(self, data: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
                 max_sessions: int = 4, lessons: Path | None = None) -> None:
        super().__init__(command="d2l-tui", host=host, port=port, title=WORDS["zh"]["name"])
        self.data = data
        self.token = token
        self.max_sessions = max_sessions
        self.lessons = lessons
        self.live: dict[str, AppService] = {}
        """Running tutor processes by app-service id: the cap counts them, tests read their pids."""
        self.announce: Callable[[], None] = lambda: None
        """Prints the address once the server listens (the command sets it; it holds the token)."""

    async def _make_app(self) -> web.Application:
        """textual-serve's routes (its own static files: script, xterm styles, the font) behind the token check."""
        app = web.Application(middlewares=[self.check_token])
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, name="static"),
        ])
        return app

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C; say where only once the port listens (not textual-serve's banner and raw command)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=lambda *_: self.announce())

    @web.middleware
    async def check_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Let a request through only with the token (in `?token=` once, then in a cookie), when there is one."""
        if self.token is None:
            return await handler(request)
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE, "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            lang = page_lang(request.query.get("lang"), request.headers.get("Accept-Language", ""))
            return web.Response(status=403, content_type="text/html", text=render("token.html", lang, "/static/"))
        response = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        """The learner's name form, the 'full' page, or the tutor's own page that opens their session."""
        lang = page_lang(request.query.get("lang"), request.headers.get("Accept-Language", ""))
        typed = request.query.get("learner")
        learner = chosen_learner(request)
        if learner is None:
            page = render("name.html", lang, "/static/", root="/", problem=bool(typed), typed=typed or "")
            return web.Response(content_type="text/html", text=page)
        if len(self.live) >= self.max_sessions:
            full = table_full(lang, self.max_sessions)
            return web.Response(status=503, content_type="text/html", text=render("full.html", lang, "/static/", full=full))
        scheme = "wss" if request.secure else "ws"
        page = render("app.html", lang, "/static/", websocket_url=f"{scheme}://{request.host}/ws",
                      font_size=min(40, size(request, "fontsize", 16)),
                      you_are=WORDS[lang]["you_are"].format(learner=learner))
        response = web.Response(content_type="text/html", text=page)
        response.set_cookie(LEARNER_COOKIE, learner, max_age=365 * 24 * 3600, samesite="Strict")
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run this visitor's own tutor while the tab is open; closing it ends the tutor and its kernels."""
        websocket = web.WebSocketResponse(heartbeat=15)
        learner = valid_learner(request.cookies.get(LEARNER_COOKIE))
        await websocket.prepare(request)
        if learner is None or len(self.live) >= self.max_sessions:
            await websocket.close(code=1013, message=b"full or no learner")
            return websocket

        async def close() -> None:
            await websocket.close()

        service = AppService(tutor_command(self.data, learner, self.lessons), write_bytes=websocket.send_bytes,
                             write_str=websocket.send_str, close=close,
                             download_manager=self.download_manager, debug=self.debug)
        self.live[service.app_service_id] = service
        try:
            await service.start(size(request, "width", 80), size(request, "height", 24))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one learner's broken session must not stop the server
            log.exception("the session of %s failed", learner)
        finally:
            await service.stop()
            self.live.pop(service.app_service_id, None)
        return websocket


def chosen_learner(request: web.Request) -> str | None:
    """The learner a link names (`?learner=`), else the one this browser remembers, unless told to forget."""
    typed = request.query.get("learner")
    if typed is not None or "forget" in request.query:
        return valid_learner(typed)
    return valid_learner(request.cookies.get(LEARNER_COOKIE))


def table_full(lang: str, limit: int) -> str:
    """The 'full, try later' sentence."""
    return WORDS[lang]["full"].format(limit=limit)


def size(request: web.Request, name: str, default: int) -> int:
    """A terminal size from the query (the page's script sends it), within sane bounds."""
    text = request.query.get(name, "")
    return min(500, max(10, int(text))) if text.isdigit() else default
