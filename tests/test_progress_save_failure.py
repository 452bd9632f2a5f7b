"""A data folder that cannot be written: nothing crashes, progress stays in memory, the next save retries."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from d2l_tui.progress import ProgressStore, SaveProblem


def test_a_file_in_place_of_the_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder", encoding="utf-8")
    store = ProgressStore.open(blocker)
    told: list[SaveProblem] = []
    store.on_save_failed = told.append
    store.visit("ndarray")
    assert not store.save()
    store.quizzes["q"] = {"correct": True}
    assert not store.save()
    assert len(told) == 1, "said once, not on every save"
    assert store.save_problem and str(blocker) in str(store.save_problem) and told[0] == store.save_problem
    blocker.unlink()
    assert store.save(), "the next save tries again"
    assert store.save_problem is None
    saved = json.loads((blocker / "progress.json").read_text(encoding="utf-8"))
    assert saved["last_lesson"] == "ndarray" and saved["quizzes"]["q"]["correct"]


def test_a_folder_that_cannot_be_written() -> None:
    # /proc/1 is a real folder in which not even root can create a file.
    folder = Path("/proc/1")
    if not folder.is_dir():
        pytest.skip("no /proc on this system")
    store = ProgressStore.open(folder)
    store.visit("ndarray")
    assert not store.save()
    assert store.save_problem and str(store.save_problem).startswith("/proc/1")
    assert store.lessons["ndarray"].visited, "kept in memory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes through chmod")
def test_a_read_only_folder(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.visit("a")
    assert store.save()
    tmp_path.chmod(0o500)
    try:
        store.visit("b")
        assert not store.save() and store.save_problem
    finally:
        tmp_path.chmod(0o700)
    assert store.save()


FULL_DISK = """
import json, resource, signal, sys
from pathlib import Path
from d2l_tui.progress import ProgressStore, SaveProblem
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG, like a full disk
store = ProgressStore.open(Path(sys.argv[1]))
store.visit("a")
assert store.save()
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, resource.RLIM_INFINITY))
store.quizzes["code"] = {"answer": "x" * 5000}
print(json.dumps({"saved": store.save(), "problem": str(store.save_problem), "errno": store.save_problem.errno, "kept": "code" in store.quizzes}))
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_write_that_runs_out_of_room_keeps_the_old_file(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["saved"] is False and outcome["kept"] and "too large" in outcome["problem"].lower()
    assert outcome["errno"] == errno.EFBIG
    assert json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))["last_lesson"] == "a"
    assert not list(tmp_path.glob(".progress-*")), "the half-written temporary file is removed"
