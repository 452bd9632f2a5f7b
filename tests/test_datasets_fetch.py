"""The downloader against a real HTTP server on 127.0.0.1: progress, checksums, dropped connections, resume."""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from d2l_tui.datasets import (
    Cancelled,
    FetchFailed,
    FetchProgress,
    FileSpec,
    Offline,
    Plan,
    fetch,
    load_fashion_mnist,
)
from d2l_tui.datasets.idx import to_idx

NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def small_fashion(train: int = 60, test: int = 10, seed: int = 0) -> dict[str, bytes]:
    """Four gzipped IDX files shaped like Fashion-MNIST's, with random (incompressible) pixels."""
    rng = np.random.RandomState(seed)
    arrays = (
        rng.randint(0, 256, size=(train, 28, 28)).astype(np.uint8),
        rng.randint(0, 10, size=train).astype(np.uint8),
        rng.randint(0, 256, size=(test, 28, 28)).astype(np.uint8),
        rng.randint(0, 10, size=test).astype(np.uint8),
    )
    return {name: gzip.compress(to_idx(array), mtime=0) for name, array in zip(NAMES, arrays)}


def specs_for(content: dict[str, bytes]) -> tuple[FileSpec, ...]:
    """The expected files (sizes and checksums) of `content`, as the official table lists them."""
    return tuple(
        FileSpec(name, len(data), hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest())
        for name, data in content.items()
    )


@dataclass
class Mirror:
    """What one mirror (a path prefix on the test server) serves and how it misbehaves."""

    files: dict[str, bytes]
    drop_after: dict[str, int] = field(default_factory=dict)
    """File -> bytes to send before the connection is cut, once (then it is forgotten)."""
    reset: bool = False
    """Cut with a TCP reset (ConnectionResetError) instead of a clean close."""
    ignore_range: bool = False
    send_length: bool = True
    """Say Content-Length (without it only the known size tells a cut from the end)."""
    chunk_delay_s: float = 0.0
    """Pause after every 16 kB, so a download takes long enough to report progress."""
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    """(file, Range header) per request, in order."""


class Server:
    """A real HTTP server in a thread; `url(prefix)` is a mirror's base URL."""

    def __init__(self) -> None:
        self.mirrors: dict[str, Mirror] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, prefix: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{prefix}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def make_handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            prefix, _, name = self.path.strip("/").partition("/")
            mirror = server.mirrors.get(prefix)
            asked = self.headers.get("Range")
            if mirror is not None:
                mirror.requests.append((name, asked))
            if mirror is None or name not in mirror.files:
                self.send_error(404)
                return
            data = mirror.files[name]
            start = 0
            if asked and not mirror.ignore_range:
                start = int(asked.removeprefix("bytes=").split("-")[0])
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            body = data[start:]
            if mirror.send_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            cut = mirror.drop_after.pop(name, None)
            self.send_body(mirror, body if cut is None else body[:cut])
            if cut is not None:
                self.cut(mirror.reset)

        def send_body(self, mirror: Mirror, body: bytes) -> None:
            for at in range(0, len(body), 16 * 1024):
                self.wfile.write(body[at : at + 16 * 1024])
                self.wfile.flush()
                if mirror.chunk_delay_s:
                    time.sleep(mirror.chunk_delay_s)

        def cut(self, reset: bool) -> None:
            self.wfile.flush()
            if reset:
                # Linger 0: close() sends RST, as a crashed proxy or a dropped Wi-Fi does.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            else:
                self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/"


def quick_plan(content: dict[str, bytes], *mirrors: str, retries: int = 3) -> Plan:
    return Plan(specs_for(content), tuple(mirrors), retries=retries, timeout_s=5.0, backoff_s=0.0)


def test_fetch_reports_progress_and_keeps_only_verified_files(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion(train=400)
    server.mirrors["m"] = Mirror(content, chunk_delay_s=0.03)
    seen: list[FetchProgress] = []
    paths = fetch(
        "fashion-mnist", tmp_path, progress=seen.append, plan=quick_plan(content, server.url("m"))
    )
    assert [p.name for p in paths] == list(NAMES)
    for path in paths:
        assert path.read_bytes() == content[path.name]
    assert not list(tmp_path.glob("*.part"))
    total = sum(len(data) for data in content.values())
    assert all(p.all_size == total for p in seen)
    assert [p.all_done for p in seen] == sorted(p.all_done for p in seen)
    # The big file arrives over ~0.9 s: several reports in between, with a speed and a time left.
    middle = [p for p in seen if p.file == NAMES[0] and not p.finished]
    assert len(middle) >= 3
    assert all(0 < p.done <= p.size for p in middle) and middle[0].done < middle[0].size
    assert all(
        p.bytes_per_s > 0 and p.seconds_left is not None and p.seconds_left > 0 for p in middle
    )
    finished = [p for p in seen if p.finished]
    assert [(p.index, p.count, p.file) for p in finished] == [
        (i, 4, n) for i, n in enumerate(NAMES, 1)
    ]
    assert finished[-1].all_done == total and finished[-1].seconds_left == 0
    # What arrived is what the NumPy reader gives back.
    split = load_fashion_mnist(tmp_path, reader="numpy")
    images = np.frombuffer(gzip.decompress(content[NAMES[0]])[16:], dtype=np.uint8).reshape(
        400, 28, 28
    )
    assert np.array_equal(split.train_x, images.astype(np.float32) / 255)
    assert split.train_x.dtype == np.float32 and split.test_y.dtype == np.int32


def test_files_already_in_place_are_not_downloaded_again(server: Server, tmp_path: Path) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content)
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    asked = len(server.mirrors["m"].requests)
    seen: list[FetchProgress] = []
    fetch(
        "fashion-mnist", tmp_path, progress=seen.append, plan=quick_plan(content, server.url("m"))
    )
    assert len(server.mirrors["m"].requests) == asked == 4
    assert [p.finished for p in seen] == [True] * 4


def test_a_wrong_checksum_is_refused_and_the_next_mirror_is_tried(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion()
    tampered = dict(content)
    tampered[NAMES[1]] = content[NAMES[1]][:-1] + bytes([content[NAMES[1]][-1] ^ 0xFF])
    server.mirrors["bad"] = Mirror(tampered)
    server.mirrors["good"] = Mirror(content)
    with pytest.raises(FetchFailed) as refused:
        fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("bad")))
    assert refused.value.key == "checksum"
    assert NAMES[1] in str(refused.value) and hashlib.md5(content[NAMES[1]]).hexdigest() in str(
        refused.value
    )
    assert "不是官方文件" in refused.value.words("zh")
    assert not (tmp_path / NAMES[1]).exists() and not (tmp_path / (NAMES[1] + ".part")).exists()

    fetch(
        "fashion-mnist", tmp_path, plan=quick_plan(content, server.url("bad"), server.url("good"))
    )
    assert (tmp_path / NAMES[1]).read_bytes() == content[NAMES[1]]
    assert [r for r in server.mirrors["good"].requests] == [(NAMES[1], None)]


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_a_dropped_connection_resumes_with_a_range_request(
    server: Server, tmp_path: Path, reset: bool
) -> None:
    content = small_fashion(train=200)
    server.mirrors["m"] = Mirror(content, drop_after={NAMES[0]: 50_000}, reset=reset)
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    asked = [r for r in server.mirrors["m"].requests if r[0] == NAMES[0]]
    if reset:
        # A reset may discard bytes the kernel had not handed over yet; the resume starts where the part ends.
        assert asked[0] == (NAMES[0], None) and len(asked) == 2
        assert asked[1][1] is not None and asked[1][1].startswith("bytes=")
    else:
        assert asked == [(NAMES[0], None), (NAMES[0], "bytes=50000-")]
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


def test_a_part_left_by_an_earlier_run_is_resumed(server: Server, tmp_path: Path) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content)
    (tmp_path / (NAMES[0] + ".part")).write_bytes(content[NAMES[0]][:3000])
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert server.mirrors["m"].requests[0] == (NAMES[0], "bytes=3000-")
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


def test_a_server_that_ignores_range_is_read_from_the_start(server: Server, tmp_path: Path) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content, ignore_range=True)
    (tmp_path / (NAMES[0] + ".part")).write_bytes(b"x" * 3000)  # garbage a resume would keep
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


def test_a_whole_part_is_checked_without_downloading_it_again(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content)
    (tmp_path / (NAMES[3] + ".part")).write_bytes(content[NAMES[3]])
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert (NAMES[3], f"bytes={len(content[NAMES[3]])}-") in server.mirrors["m"].requests
    assert (tmp_path / NAMES[3]).read_bytes() == content[NAMES[3]]


def test_no_reachable_mirror_is_offline_in_one_line(tmp_path: Path) -> None:
    content = small_fashion()
    started = time.monotonic()
    with pytest.raises(Offline) as offline:
        fetch(
            "fashion-mnist",
            tmp_path,
            plan=quick_plan(content, closed_port_url(), closed_port_url()),
        )
    assert time.monotonic() - started < 5
    assert str(offline.value).startswith("offline: could not reach any fashion-mnist mirror")
    assert "refused" in str(offline.value)
    zh = offline.value.words("zh")
    assert "\n" not in zh and "无法联网" in zh and "连接被拒绝" in zh


def test_a_mirror_without_the_file_is_a_clear_failure(server: Server, tmp_path: Path) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror({})
    with pytest.raises(FetchFailed) as failed:
        fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert str(failed.value) == f"no mirror has {NAMES[0]} (HTTP 404)"


def test_cancel_stops_and_keeps_the_part_for_a_resume(server: Server, tmp_path: Path) -> None:
    content = small_fashion(train=400)
    server.mirrors["m"] = Mirror(content, chunk_delay_s=0.03)
    stop = threading.Event()

    def on_progress(progress: FetchProgress) -> None:
        if progress.done > 0:
            stop.set()

    with pytest.raises(Cancelled) as cancelled:
        fetch(
            "fashion-mnist",
            tmp_path,
            progress=on_progress,
            cancel=stop,
            plan=quick_plan(content, server.url("m")),
        )
    part = tmp_path / (NAMES[0] + ".part")
    kept = part.stat().st_size
    assert 0 < kept < len(content[NAMES[0]])
    assert "下次接着下" in cancelled.value.words("zh")
    server.mirrors["m"].chunk_delay_s = 0
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert server.mirrors["m"].requests[-4] == (NAMES[0], f"bytes={kept}-")
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


def test_files_downloaded_by_hand_are_copied_and_checked(tmp_path: Path) -> None:
    content = small_fashion()
    hand = tmp_path / "by-hand"
    hand.mkdir()
    for name, data in content.items():
        (hand / name).write_bytes(data)
    dest = tmp_path / "data"
    fetch("fashion-mnist", dest, source_dir=hand, plan=quick_plan(content))
    assert all((dest / name).read_bytes() == data for name, data in content.items())

    (hand / NAMES[2]).write_bytes(content[NAMES[2]][:100])
    with pytest.raises(FetchFailed) as short:
        fetch("fashion-mnist", tmp_path / "again", source_dir=hand, plan=quick_plan(content))
    assert short.value.key == "size" and NAMES[2] in str(short.value)
    (hand / NAMES[3]).unlink()
    with pytest.raises(FetchFailed) as missing:
        fetch(
            "fashion-mnist",
            tmp_path / "again",
            source_dir=hand,
            files=specs_for(content)[3:],
            plan=quick_plan(content),
        )
    assert missing.value.key == "missing-source" and "原样放进去" in missing.value.words("zh")


def test_a_cut_without_content_length_is_told_by_the_known_size(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content, send_length=False, drop_after={NAMES[0]: 10_000})
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    asked = [r for r in server.mirrors["m"].requests if r[0] == NAMES[0]]
    assert asked == [(NAMES[0], None), (NAMES[0], "bytes=10000-")]
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


def test_a_stale_part_that_fails_the_checksum_is_downloaded_afresh(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content)
    (tmp_path / (NAMES[0] + ".part")).write_bytes(b"\x00" * 3000)  # from another file, say
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    asked = [r for r in server.mirrors["m"].requests if r[0] == NAMES[0]]
    assert asked == [(NAMES[0], "bytes=3000-"), (NAMES[0], None)]
    assert (tmp_path / NAMES[0]).read_bytes() == content[NAMES[0]]


@pytest.mark.skipif(sys.platform == "win32", reason="the lock holder uses fcntl")
def test_a_second_fetcher_of_the_same_folder_is_refused_at_once(
    server: Server, tmp_path: Path
) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".fetch.lock")],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(FetchFailed) as busy:
            fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
        assert busy.value.key == "busy" and "另一个 d2l-tui 正在" in busy.value.words("zh")
        assert server.mirrors["m"].requests == []
    finally:
        holder.communicate("", timeout=10)
    fetch("fashion-mnist", tmp_path, plan=quick_plan(content, server.url("m")))
    assert len(server.mirrors["m"].requests) == 4


# Another process (another d2l-tui window) holding the folder's fetch lock until its stdin closes.
HOLD_LOCK = """
import fcntl, os, sys
handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(handle, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""
