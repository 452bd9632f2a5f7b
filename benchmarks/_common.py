"""Helpers shared by the benchmarks: medians and running a program in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import time


def median(values: list[float]) -> float:
    """The median of some timings."""
    return statistics.median(values)


def time_until_text(argv: list[str], marker: str, timeout: float = 30.0, env: dict[str, str] | None = None) -> float:
    """Start a program in a 100x30 pseudo-terminal; return seconds until `marker` is written to it."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30", **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=full_env, start_new_session=True)
    os.close(follower)
    seen = b""
    wanted = marker.encode("utf-8")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if wanted in seen:
                    return time.perf_counter() - start
        raise TimeoutError(f"{marker!r} never appeared; last output: {seen[-400:]!r}")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)


PYTHON = sys.executable
