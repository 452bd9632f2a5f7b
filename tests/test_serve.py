"""`d2l-tui serve`'s server on a real aiohttp test server: learner names, the token, the session cap, closing a tab."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from d2l_tui.cli import main
from d2l_tui.course.catalog import Course
from d2l_tui.paths import shipped_lessons_dir
from d2l_tui.progress import ProgressStore
from d2l_tui.serve.command import is_local
from d2l_tui.serve.learners import known_learners, learner_dir, valid_learner
from d2l_tui.serve.server import TutorServer, tutor_command


async def client_for(server: TutorServer) -> TestClient:
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[tuple[TutorServer, TestClient]]:
    server = TutorServer(tmp_path / "served", max_sessions=1)
    client = await client_for(server)
    yield server, client
    await client.close()


def test_learner_ids_are_letters_digits_and_dashes(tmp_path: Path) -> None:
    assert valid_learner(" ann-2 ") == "ann-2"
    for bad in ["", "../x", "a/b", "张三", "-lead", "a" * 41, "a b"]:
        assert valid_learner(bad) is None
    with pytest.raises(ValueError):
        learner_dir(tmp_path, "../etc")
    assert "--data-dir" in tutor_command(tmp_path, "ann") and str(tmp_path / "learners" / "ann") in tutor_command(tmp_path, "ann")
    (tmp_path / "learners" / "bo").mkdir(parents=True)
    (tmp_path / "learners" / "not ok").mkdir()
    assert known_learners(tmp_path) == ["bo"]


def test_only_loopback_is_local_and_another_host_needs_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.5")
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


async def test_the_landing_page_is_the_tutors_own_and_asks_a_name_once(local: tuple[TutorServer, TestClient]) -> None:
    _, client = local
    page = await (await client.get("/")).text()
    assert "动手学深度学习" in page and "学习者名" in page and "<form" in page
    assert "googleapis" not in page and "RobotoMono" in page and "d2l-tui" not in page
    bad = await client.get("/", params={"learner": "../../x"})
    assert "不能用" in await bad.text()
    opened = await client.get("/", params={"learner": "ann"})
    assert 'data-session-websocket-url="ws://' in await opened.text() and "学习者：ann" in await opened.text()
    again = await (await client.get("/")).text()  # the cookie brings the same learner back
    assert "学习者：ann" in again
    english = await (await client.get("/", params={"lang": "en"})).text()
    assert "Learner: ann" in english
    font = await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")
    assert font.status == 200


async def test_a_remote_server_needs_its_token(tmp_path: Path) -> None:
    server = TutorServer(tmp_path, host="0.0.0.0", token="s3cret-token")
    client = await client_for(server)
    try:
        refused = await client.get("/", params={"learner": "ann"})
        assert refused.status == 403 and "口令" in await refused.text()
        assert (await client.get("/", params={"token": "wrong"})).status == 403
        assert (await client.get("/ws")).status == 403
        assert (await client.get("/", params={"token": "s3cret-token"})).status == 200
        assert (await client.get("/")).status == 200  # the cookie carries it from then on
    finally:
        await client.close()


def descendants(pid: int) -> set[int]:
    """Every process started (directly or not) by `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


async def until(condition: Callable[[], object], timeout: float = 60) -> None:
    for _ in range(int(timeout * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and "(Z)" not in Path(f"/proc/{pid}/stat").read_text().replace(") Z", "(Z)")


async def test_full_server_says_so_and_closing_the_tab_ends_its_processes(local: tuple[TutorServer, TestClient]) -> None:
    server, client = local
    await client.get("/", params={"learner": "ann"})
    tab = await client.ws_connect("/ws?width=80&height=24")
    await until(lambda: server.live and next(iter(server.live.values()))._process is not None)
    process = next(iter(server.live.values()))._process
    assert process is not None
    drawn = b""
    while "课程".encode() not in drawn:  # the tutor drew the course map in this tab
        message = await asyncio.wait_for(tab.receive(), 60)
        drawn += message.data if isinstance(message.data, bytes) else b""
    # Down, Enter: open the lesson with the first code cell. Each key goes on its own, after a
    # pause: keys that arrive in one burst can be dropped by the terminal driver under load.
    await asyncio.sleep(0.5)
    await tab.send_json(["stdin", "\x1b[B"])
    await asyncio.sleep(0.5)
    await tab.send_json(["stdin", "\r"])
    for _ in range(20):  # Tab to the code cell, Ctrl+R: the lesson's kernel starts
        await asyncio.sleep(0.5)
        if len(descendants(process.pid)) > 2:
            break
        await tab.send_json(["stdin", "\t"])
        await asyncio.sleep(0.3)
        await tab.send_json(["stdin", "\x12"])
    await until(lambda: len(descendants(process.pid)) > 2, timeout=60)  # shell, tutor, and its kernel
    full = await client.get("/", params={"learner": "bo"})
    assert full.status == 503 and "已满" in await full.text()
    started = descendants(process.pid) | {process.pid}
    await tab.close()
    await until(lambda: not server.live)
    await until(lambda: not any(alive(pid) for pid in started))
    assert (await client.get("/", params={"learner": "bo"})).status == 200


def test_progress_all_lists_every_learner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "served"
    assert main(["progress", "--all", "--data-dir", str(data)]) == 0
    assert "还没有学习者" in capsys.readouterr().out
    ann = ProgressStore.open(learner_dir(data, "ann"))
    ann.visit("preface")
    ann.complete("preface")
    assert ann.save()
    learner_dir(data, "bo").mkdir(parents=True)
    assert main(["progress", "--all", "--data-dir", str(data), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["learner", "done"]
    total = len(Course.load(shipped_lessons_dir()).in_language("en"))
    share = f"{round(100 / total)}%"
    assert lines[1].split()[:3] == ["ann", share, f"1/{total}"] and lines[2].split()[:3] == ["bo", "0%", f"0/{total}"]


def test_progress_all_counts_a_replaced_lessons_progress_as_the_learners_app_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A learner who finished softmax-preview before it was taken apart has finished softmax-regression."""
    data = tmp_path / "served"
    ann = ProgressStore.open(learner_dir(data, "ann"))
    ann.visit("softmax-preview")
    ann.complete("softmax-preview")
    assert ann.save()
    before = learner_dir(data, "ann").joinpath("progress.json").read_bytes()
    assert main(["progress", "--all", "--data-dir", str(data), "--lang", "en"]) == 0
    total = len(Course.load(shipped_lessons_dir()).in_language("en"))
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["ann", f"{round(100 / total)}%", f"1/{total}"]
    assert learner_dir(data, "ann").joinpath("progress.json").read_bytes() == before  # the teacher's look writes nothing
