"""Make `import mxnet` work on the NumPy and Python versions we support, and say why when it cannot.

MXNet 1.9.1 (the last release) refers to NumPy aliases removed in NumPy 1.24 (`np.bool`, ...)
and imports `distutils`, which Python 3.12 removed (setuptools brings it back). Everything
in d2l-tui that needs MXNet goes through `load_mxnet()`, never a bare `import mxnet`.

Python 3.13 and newer are not supported directly, measured on 2026-12-07 (2-core x86_64 Linux):
MXNet 1.9.1 imports there and trains (nd, autograd, Gluon) with NumPy 1.26 and the aliases, but
NumPy 1.26 has no 3.13 wheels, and building it from source took 10 min 44 s and needs a C
compiler, which a learner should not need. NumPy 2 (which has wheels) breaks MXNet's own import
(`np.PZERO` was removed, and more below it), and shimming NumPy's removed names would mean
patching a library we do not test. So `requires-python` stops at 3.12, and on newer Pythons the
fix is `uv run d2l-tui`, which brings a Python 3.11 of its own (`UV_FIX`).

Threads: unless OMP_NUM_THREADS is set, MXNet 1.9.1's OpenMP setup on x86 takes *half* the cores
(src/engine/openmp.cc assumes two hyper-threads per core), and its OpenBLAS `dot` follows OpenMP:
on a 2-core machine one thread multiplies, and MXNet reached half of NumPy's matmul rate
(`benchmarks/gpu_accuracy.py`: matmul_ratio=0.52). `load_mxnet()` therefore sets OMP_NUM_THREADS
to the usable cores before the import, unless the learner set it or MXNET_OMP_MAX_THREADS;
`thread_settings()` says what is in use (`d2l-tui doctor` shows it). It also sets
OMP_WAIT_POLICY=passive (unless set): with GNU OpenMP's default spinning, the idle second thread
spun on the core the training thread, the UI thread and other programs need, and the book's
small models trained 1.5 to 6 times slower with two threads than with one on a busy 2-core
machine; passive threads sleep between operations. Measured 2026-12-07 on the shared, loaded
2-core machine (noisy): gpu_accuracy matmul_ratio 1.02-1.64 with this choice; linear regression
`d2l-tui train` ~1,800 steps/s against ~2,100 with one thread and ~200 with two spinning ones.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import threading
from dataclasses import dataclass
from types import ModuleType

# The aliases NumPy 1.24 removed, and the builtins they used to stand for.
_REMOVED_NUMPY_ALIASES = {
    "bool": bool,
    "int": int,
    "float": float,
    "complex": complex,
    "object": object,
    "str": str,
}

SUPPORTED_PYTHON = ((3, 10), (3, 12))
"""The oldest and newest Python the course supports (MXNet 1.9.1 with NumPy < 2)."""
UV_FIX = "pip install uv && uv run d2l-tui   (from the checkout: uv fetches Python 3.11)"
"""The one-line fix on a Python the course does not support."""

_lock = threading.Lock()
_result: ModuleType | MXNetUnavailable | None = None
_THREAD_VARS = ("OMP_NUM_THREADS", "MXNET_OMP_MAX_THREADS")
_chose_threads = False
"""True when `choose_threads()` set OMP_NUM_THREADS (rather than the learner)."""


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def choose_threads(environ: dict[str, str] | None = None) -> bool:
    """Give MXNet's OpenMP every usable core, unless the learner chose; True when it was set here.

    Must run before `import mxnet`: MXNet reads the variables once, when it loads.
    """
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in _THREAD_VARS):
        return False
    env["OMP_NUM_THREADS"] = str(usable_cores())
    env.setdefault("OMP_WAIT_POLICY", "passive")
    return True


@dataclass(frozen=True)
class ThreadSettings:
    """The threads MXNet computes with, and who chose them."""

    openmp: int
    """OpenMP threads per operator (MXNet's own kernels and its OpenBLAS `dot`)."""
    workers: int
    """MXNet engine worker threads per CPU (MXNET_CPU_WORKER_NTHREADS, default 1)."""
    chosen_by_app: bool
    """True when d2l-tui set OMP_NUM_THREADS; False when the learner did (or MXNet's default)."""


def thread_settings() -> ThreadSettings:
    """The thread counts in use (or to be used, when MXNet is not loaded yet)."""
    env = os.environ
    raw = env.get("MXNET_OMP_MAX_THREADS") or env.get("OMP_NUM_THREADS") or ""
    default = max(1, usable_cores() // 2)  # what MXNet picks on x86 when nothing is set
    openmp = int(raw) if raw.strip().isdigit() else default
    workers_raw = env.get("MXNET_CPU_WORKER_NTHREADS", "1")
    workers = int(workers_raw) if workers_raw.strip().isdigit() else 1
    return ThreadSettings(openmp, workers, _chose_threads)


class MXNetUnavailable(Exception):
    """MXNet cannot be imported here; `reason` says why and `fix` is the command that fixes it."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


@dataclass(frozen=True)
class Platform:
    """The facts about this machine that decide whether an MXNet wheel exists."""

    system: str
    machine: str
    python: tuple[int, int]

    @classmethod
    def current(cls) -> Platform:
        """Describe the running interpreter's platform."""
        return cls(sys.platform, platform.machine().lower(), sys.version_info[:2])

    @property
    def has_mxnet_wheel(self) -> bool:
        """True where PyPI has an MXNet 1.9.1 wheel (Linux and Intel macOS, x86_64)."""
        return self.system in ("linux", "darwin") and self.machine in ("x86_64", "amd64")


def install_numpy_aliases() -> None:
    """Restore the NumPy aliases MXNet 1.9.1 still uses; harmless where they still exist."""
    import numpy

    for name, value in _REMOVED_NUMPY_ALIASES.items():
        if name not in numpy.__dict__:
            setattr(numpy, name, value)


def fix_command(plat: Platform | None = None) -> str:
    """Return the command that installs a working MXNet for this interpreter."""
    plat = plat or Platform.current()
    if plat.python > SUPPORTED_PYTHON[1]:
        return UV_FIX  # NumPy < 2 has no wheels here: bring a supported Python instead
    numpy_pin = "'numpy==1.23.5'" if plat.python < (3, 12) else "'numpy>=1.26,<2' setuptools"
    return f"{sys.executable} -m pip install mxnet==1.9.1 {numpy_pin}"


def diagnose(error: BaseException, plat: Platform | None = None) -> MXNetUnavailable:
    """Turn an import failure into a plain reason and the command that fixes it."""
    plat = plat or Platform.current()
    if not plat.has_mxnet_wheel:
        return MXNetUnavailable(
            f"MXNet 1.9.1 has no wheel for {plat.system}/{plat.machine}: it is published for "
            "Linux and Intel macOS (x86_64) only. Lessons still open; running MXNet code needs "
            "an x86_64 Linux machine, a Linux container, or Rosetta on macOS.",
            "from the checkout: docker run -it -v \"$PWD\":/src -w /src python:3.11 "
            "bash -c 'pip install . && d2l-tui'",
        )
    if isinstance(error, ModuleNotFoundError) and error.name in ("mxnet", "distutils"):
        missing = "MXNet is not installed" if error.name == "mxnet" else "distutils is missing"
        return MXNetUnavailable(f"{missing} ({error}).", fix_command(plat))
    return MXNetUnavailable(f"import mxnet failed: {type(error).__name__}: {error}", fix_command(plat))


def load_mxnet() -> ModuleType:
    """Import MXNet once (thread-safe) and return it, or raise `MXNetUnavailable`."""
    global _result, _chose_threads
    with _lock:
        if _result is None:
            try:
                _chose_threads = choose_threads()
                install_numpy_aliases()
                _result = importlib.import_module("mxnet")
            except Exception as error:  # noqa: BLE001 - any import failure is reported, not raised raw
                _result = diagnose(error)
        if isinstance(_result, MXNetUnavailable):
            raise _result
        return _result
