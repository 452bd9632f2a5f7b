"""What this machine has for the course: Python, NumPy, MXNet, CPU and GPUs."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from d2l_tui.mxnet_env import SUPPORTED_PYTHON, MXNetUnavailable, load_mxnet, thread_settings
from d2l_tui.words import say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "python-fix": (
            "d2l-tui needs Python 3.10, 3.11 or 3.12 (MXNet 1.9.1 needs NumPy < 2). From the checkout, "
            "run `pip install uv && uv run d2l-tui`: uv fetches Python 3.11 and the tested versions"
        ),
        "numpy-missing": "missing ({error})",
        "numpy-fix": "{python} -m pip install 'numpy<2'",
        "numpy-2-fix": "{python} -m pip install 'numpy<2' (MXNet 1.9.1 cannot use NumPy 2)",
        "mxnet-missing": "not available: {reason}",
        "gpus-unknown": "unknown (needs MXNet)",
        "gpus-none": "0 (lessons run on the CPU; the GPU lesson explains what a GPU adds)",
        "threads": "{openmp} OpenMP per operation ({who}), {workers} engine worker",
        "threads-app": "set by d2l-tui to the usable cores",
        "threads-env": "from OMP_NUM_THREADS / MXNET_OMP_MAX_THREADS",
        "all-ok": "Everything the course needs is here.",
        "missing": "Something the course needs is missing: see 'fix' above.",
    },
    "zh": {
        "python-fix": (
            "d2l-tui 需要 Python 3.10、3.11 或 3.12（MXNet 1.9.1 只能用 NumPy < 2）。在项目目录里运行 "
            "`pip install uv && uv run d2l-tui`：uv 会自己取来 Python 3.11 和测试过的各个版本"
        ),
        "numpy-missing": "没有安装（{error}）",
        "numpy-fix": "{python} -m pip install 'numpy<2'",
        "numpy-2-fix": "{python} -m pip install 'numpy<2'（MXNet 1.9.1 用不了 NumPy 2）",
        "mxnet-missing": "不可用：{reason}",
        "gpus-unknown": "未知（需要 MXNet）",
        "gpus-none": "0（课程都能在 CPU 上运行；GPU 一课会讲 GPU 多带来了什么）",
        "threads": "每个运算 {openmp} 个 OpenMP 线程（{who}），{workers} 个引擎工作线程",
        "threads-app": "d2l-tui 按可用核数设定",
        "threads-env": "来自 OMP_NUM_THREADS / MXNET_OMP_MAX_THREADS",
        "all-ok": "课程需要的都有了。",
        "missing": "缺少课程需要的东西：见上面的 fix。",
    },
}
"""The doctor's words per language; `d2l-tui doctor` prints English.

Names (Python, Platform, Cores, ...) and the `fix:` label stay English in every language: the
lessons refer to the report by them.
"""


def say(lang: str, key: str, **params: object) -> str:
    """The doctor's words `key` in `lang` (English when there is no translation), filled with `params`."""
    return say_in(WORDS, lang, key, **params)


@dataclass(frozen=True)
class Finding:
    """One line of the report: a name, what was found, whether it is fine, and how to fix it."""

    name: str
    value: str
    ok: bool = True
    fix: str | None = None


def cpu_model() -> str:
    """The CPU's marketing name, as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        try:
            return subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, timeout=2
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _python_finding(lang: str) -> Finding:
    """Is this Python one the course supports?"""
    version = platform.python_version()
    low, high = SUPPORTED_PYTHON
    ok = low <= sys.version_info[:2] <= high
    fix = None if ok else say(lang, "python-fix")
    return Finding("Python", f"{version} ({sys.executable})", ok, fix)


def _numpy_finding(lang: str) -> Finding:
    """Is NumPy installed, and in the range MXNet 1.9.1 works with?"""
    try:
        import numpy
    except ImportError as error:
        missing_fix = say(lang, "numpy-fix", python=sys.executable)
        return Finding("NumPy", say(lang, "numpy-missing", error=error), False, missing_fix)
    major = int(numpy.__version__.split(".")[0])
    ok = major < 2
    fix = None if ok else say(lang, "numpy-2-fix", python=sys.executable)
    return Finding("NumPy", numpy.__version__, ok, fix)


def collect(lang: str = "en") -> list[Finding]:
    """Examine this machine, in `lang`'s words; loads MXNet, so call it off the UI thread."""
    findings = [_python_finding(lang), _numpy_finding(lang)]
    gpus = say(lang, "gpus-unknown")
    try:
        mx = load_mxnet()
    except MXNetUnavailable as missing:
        findings.append(Finding("MXNet", say(lang, "mxnet-missing", reason=missing.reason), False, missing.fix))
    else:
        findings.append(Finding("MXNet", f"{mx.__version__} ({Path(str(mx.__file__)).parent})"))
        count = mx.context.num_gpus()
        gpus = f"{count}" if count else say(lang, "gpus-none")
    system = f"{platform.system()} {platform.release()} ({platform.machine()})"
    findings.append(Finding("Platform", system))
    findings.append(Finding("CPU", cpu_model()))
    findings.append(Finding("Cores", str(usable_cores())))
    threads = thread_settings()
    who = say(lang, "threads-app" if threads.chosen_by_app else "threads-env")
    findings.append(Finding("Threads", say(lang, "threads", openmp=threads.openmp, who=who, workers=threads.workers)))
    findings.append(Finding("GPUs", gpus))
    return findings


def all_ok(findings: list[Finding]) -> bool:
    """True when everything the course needs is there."""
    return all(finding.ok for finding in findings)


def format_report(findings: list[Finding], lang: str = "en") -> str:
    """The report as plain text, one finding a line, with fixes under the failing ones."""
    width = max(len(f.name) for f in findings)
    lines = []
    for finding in findings:
        mark = "ok " if finding.ok else "!! "
        lines.append(f"{mark}{finding.name:<{width}}  {finding.value}")
        if finding.fix:
            lines.append(f"   {'':<{width}}  fix: {finding.fix}")
    verdict = say(lang, "all-ok" if all_ok(findings) else "missing")
    return "\n".join([*lines, "", verdict])
