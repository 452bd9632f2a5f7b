"""The real app with one training panel, in a pseudo-terminal; shared by the training benchmarks.

As a script it is the child: it runs d2l-tui on a one-lesson course, focuses the panel and
appends JSON lines to a results file ("ready", each "key" handled, "ended" with the run's
speed). `AppInPty` is the parent's side: start the child, press keys, read those lines.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path
from typing import Any

PYTHON = sys.executable
SIZE = (100, 30)


def write_course(folder: Path, settings: dict[str, Any]) -> Path:
    """Write a one-lesson course whose only block is a `train` panel with `settings`."""
    body = "\n".join(
        f"{key}: {json.dumps(value)}" for key, value in {"id": "bench", **settings}.items()
    )
    lesson = (
        textwrap.dedent(
            """\
        ---
        id: bench
        title: Benchmark
        order: 1
        ---

        # Benchmark

        """
        )
        + f"```train\n{body}\n```\n"
    )
    (folder / "en").mkdir(parents=True, exist_ok=True)
    (folder / "en" / "bench.md").write_text(lesson, encoding="utf-8")
    return folder


class AppInPty:
    """The child app in a pseudo-terminal: keys go in, result lines come out of a file."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="d2l-bench-")
        root = Path(self._temp.name)
        write_course(root / "course", settings)
        self.results = root / "results.jsonl"
        self.results.touch()
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "D2L_TUI_DATA_DIR": str(root / "data")}
        argv = [PYTHON, __file__, str(root / "course"), str(self.results)]
        self.process = subprocess.Popen(
            argv, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
        )
        os.close(follower)
        os.set_blocking(leader, False)
        self.leader = leader
        self._seen = 0

    def drain(self, seconds: float) -> None:
        """Read (and drop) the app's output for `seconds`, so its writes never block."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.leader], [], [], left)
            if ready:
                try:
                    os.read(self.leader, 1 << 16)
                except OSError:
                    return

    def press(self, key: bytes) -> float:
        """Type a key; return the monotonic time it was written."""
        sent = time.monotonic()
        os.write(self.leader, key)
        return sent

    def lines(self) -> list[dict[str, Any]]:
        """Every result line the child wrote so far."""
        text = self.results.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def wait_for(self, kind: str, count: int = 1, timeout: float = 120.0) -> dict[str, Any]:
        """Wait (draining output) until `count` lines of `kind` were written; return the last."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = [line for line in self.lines() if line["kind"] == kind]
            if len(found) >= count:
                return found[count - 1]
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited ({self.process.returncode}) before '{kind}'")
            self.drain(0.1)  # polling gently: this process shares the CPUs with the app it measures
        raise TimeoutError(f"no '{kind}' line within {timeout} s")

    def close(self) -> None:
        """Quit the app (q), or kill it if it does not exit."""
        self.press(b"q")
        end = time.monotonic() + 5
        while self.process.poll() is None and time.monotonic() < end:
            self.drain(0.05)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.leader)
        self._temp.cleanup()


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return float("nan")
    return int(line.split()[1]) / 1024


def child(course: Path, results: Path) -> None:
    """Run the app on `course`, logging to `results` what the benchmarks measure."""
    from d2l_tui.ui.app import TutorApp
    from d2l_tui.ui.widgets.training_panel import TrainingPanel

    def log(kind: str, **values: Any) -> None:
        with results.open("a", encoding="utf-8") as out:
            out.write(
                json.dumps({"kind": kind, "t": time.monotonic(), "rss_mb": rss_mb(), **values})
                + "\n"
            )

    toggle = TrainingPanel.action_toggle_log

    def timed_toggle(self: TrainingPanel) -> None:
        log("key")  # the app handled the key press: this is what ui_latency times
        toggle(self)

    TrainingPanel.action_toggle_log = timed_toggle  # type: ignore[method-assign]

    class BenchApp(TutorApp):
        CSS_PATH = str(
            Path(sys.modules[TutorApp.__module__].__file__ or "").parent / TutorApp.CSS_PATH
        )

        def on_mount(self) -> None:
            # Textual calls TutorApp.on_mount too (handlers run for every class in the MRO).
            self.set_timer(0.5, self._focus_panel)

        def _focus_panel(self) -> None:
            panels = list(self.screen.query(TrainingPanel))
            if not panels or not self.mxnet_ready:
                self.set_timer(0.1, self._focus_panel)
                return
            panels[0].focus()
            log("ready")

        def on_training_panel_run_ended(self, message: TrainingPanel.RunEnded) -> None:
            final = message.final
            log(
                "ended",
                outcome=final.record.outcome,
                steps=final.record.steps,
                steps_per_second=getattr(final, "steps_per_second", None),
                seconds=getattr(final, "seconds", None),
            )

    app = BenchApp(course, results.parent / "data", lang="en", open_lesson="bench")
    app.run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("course", type=Path)
    parser.add_argument("results", type=Path)
    args = parser.parse_args()
    child(args.course, args.results)
