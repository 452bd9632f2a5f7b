"""What this machine has for the course: Python, NumPy, MXNet, CPU and GPUs."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet

SUPPORTED_PYTHON = ((3, 10), (3, 12))


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


def _python_finding() -> Finding:
    """Is this Python one the course supports?"""
    version = platform.python_version()
    low, high = SUPPORTED_PYTHON
    ok = low <= sys.version_info[:2] <= high
    fix = None if ok else "install Python 3.10, 3.11 or 3.12 and create a new virtual environment"
    return Finding("Python", f"{version} ({sys.executable})", ok, fix)


def _numpy_finding() -> Finding:
    """Is NumPy installed, and in the range MXNet 1.9.1 works with?"""
    try:
        import numpy
    except ImportError as error:
        return Finding("NumPy", f"missing ({error})", False, f"{sys.executable} -m pip install 'numpy<2'")
    major = int(numpy.__version__.split(".")[0])
    ok = major < 2
    fix = None if ok else f"{sys.executable} -m pip install 'numpy<2' (MXNet 1.9.1 cannot use NumPy 2)"
    return Finding("NumPy", numpy.__version__, ok, fix)


def collect() -> list[Finding]:
    """Examine this machine; loads MXNet, so call it off the UI thread."""
    findings = [_python_finding(), _numpy_finding()]
    gpus = "unknown (needs MXNet)"
    try:
        mx = load_mxnet()
    except MXNetUnavailable as missing:
        findings.append(Finding("MXNet", f"not available: {missing.reason}", False, missing.fix))
    else:
        findings.append(Finding("MXNet", f"{mx.__version__} ({Path(mx.__file__).parent})"))
        count = mx.context.num_gpus()
        gpus = f"{count}" if count else "0 (lessons run on the CPU; the GPU lesson explains what a GPU adds)"
    findings.append(Finding("Platform", f"{platform.system()} {platform.release()} ({platform.machine()})"))
    findings.append(Finding("CPU", cpu_model()))
    findings.append(Finding("Cores", str(usable_cores())))
    findings.append(Finding("GPUs", gpus))
    return findings


def all_ok(findings: list[Finding]) -> bool:
    """True when everything the course needs is there."""
    return all(finding.ok for finding in findings)


def format_report(findings: list[Finding]) -> str:
    """The report as plain text, one finding a line, with fixes under the failing ones."""
    width = max(len(f.name) for f in findings)
    lines = []
    for finding in findings:
        mark = "ok " if finding.ok else "!! "
        lines.append(f"{mark}{finding.name:<{width}}  {finding.value}")
        if finding.fix:
            lines.append(f"   {'':<{width}}  fix: {finding.fix}")
    verdict = "Everything the course needs is here." if all_ok(findings) else "Something the course needs is missing: see 'fix' above."
    return "\n".join([*lines, "", verdict])
