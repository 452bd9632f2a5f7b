"""MXNet computes with every usable core unless the learner chose, and `doctor` says how many."""

from __future__ import annotations

import json
import subprocess
import sys

from d2l_tui.doctor import collect
from d2l_tui.mxnet_env import choose_threads, usable_cores


def test_unset_threads_become_the_usable_cores() -> None:
    env: dict[str, str] = {}
    assert choose_threads(env) is True
    assert env["OMP_NUM_THREADS"] == str(usable_cores())
    assert env["OMP_WAIT_POLICY"] == "passive"  # idle OpenMP threads must not spin on a busy core


def test_the_learners_own_choice_is_kept() -> None:
    for name in ("OMP_NUM_THREADS", "MXNET_OMP_MAX_THREADS"):
        env = {name: "1"}
        assert choose_threads(env) is False
        assert env == {name: "1"}


def test_loading_mxnet_sets_the_threads_before_the_import() -> None:
    code = (
        "import json, os\n"
        "from d2l_tui.mxnet_env import load_mxnet, thread_settings\n"
        "load_mxnet()\n"
        "t = thread_settings()\n"
        "print(json.dumps([os.environ.get('OMP_NUM_THREADS'), t.openmp, t.chosen_by_app]))\n"
    )
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("OMP_NUM_THREADS", "MXNET_OMP_MAX_THREADS")
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        str(usable_cores()),
        usable_cores(),
        True,
    ]


def test_doctor_shows_the_threads_in_zh_and_en() -> None:
    en = {f.name: f.value for f in collect("en")}
    zh = {f.name: f.value for f in collect("zh")}
    assert "OpenMP" in en["Threads"] and "engine worker" in en["Threads"]
    assert "引擎工作线程" in zh["Threads"]
