"""What this machine has: CPU model, cores, SIMD features, MXNet's build, and GPUs (MXNet and nvidia-smi)."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from d2l_tui.doctor import cpu_model, usable_cores
from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet

# The vector instruction sets that decide how fast a CPU multiplies matrices, oldest first.
SIMD_OF_INTEREST = (
    "sse2",
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512_bf16",
    "avx512_vnni",
    "avx512_fp16",
    "amx_tile",
    "amx_bf16",
    "amx_int8",
    "neon",
    "asimd",
    "asimdhp",
    "sve",
    "sve2",
)
# MXNet build features worth showing: the maths libraries and the accelerators it can use.
MXNET_FEATURES_OF_INTEREST = (
    "CUDA",
    "CUDNN",
    "NCCL",
    "TENSORRT",
    "MKLDNN",
    "BLAS_MKL",
    "BLAS_OPEN",
    "BLAS_ATLAS",
    "BLAS_APPLE",
    "OPENMP",
    "F16C",
    "SSE",
    "AVX",
    "AVX2",
)
NVIDIA_SMI_QUERY = "index,name,memory.total,driver_version"


@dataclass(frozen=True)
class CpuInfo:
    """The processor, as the operating system describes it."""

    model: str
    cores: int
    """Cores this process may run on."""
    logical_cores: int
    simd: tuple[str, ...]
    """Vector instruction sets of interest the OS reports, oldest first (empty when unknown)."""
    machine: str


@dataclass(frozen=True)
class GpuInfo:
    """One GPU, merged from nvidia-smi (name, driver) and MXNet (usable, memory)."""

    index: int
    name: str
    memory_mib: int | None
    driver: str | None
    mxnet_usable: bool


@dataclass(frozen=True)
class MXNetInfo:
    """MXNet's version and build, or why it cannot be used."""

    available: bool
    version: str | None = None
    features: tuple[str, ...] = ()
    """Build features of interest that are enabled (CUDA, MKLDNN, BLAS_OPEN, ...)."""
    num_gpus: int = 0
    problem: str | None = None
    fix: str | None = None

    @property
    def has_cuda(self) -> bool:
        """True when this MXNet build can use NVIDIA GPUs."""
        return "CUDA" in self.features


@dataclass(frozen=True)
class Detection:
    """Everything detected about this machine."""

    cpu: CpuInfo
    mxnet: MXNetInfo
    gpus: tuple[GpuInfo, ...] = ()
    nvidia_smi: str = "not found"
    """"not found", "no GPUs listed", "ok", or the error nvidia-smi gave."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = asdict(self)
        data["mxnet"]["has_cuda"] = self.mxnet.has_cuda
        return data


def simd_features() -> tuple[str, ...]:
    """The SIMD instruction sets of interest that the OS reports for this CPU."""
    flags: set[str] = set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key = line.split(":", 1)[0].strip().lower()
            if key in ("flags", "features"):  # x86 says flags, ARM says Features
                flags.update(line.split(":", 1)[1].lower().split())
                break
    elif sys.platform == "darwin":
        for name in ("machdep.cpu.features", "machdep.cpu.leaf7_features"):
            flags.update(_run(["sysctl", "-n", name]).lower().replace(".", "_").split())
        if platform.machine() == "arm64":
            flags.update({"neon", "asimd"})
    return tuple(f for f in SIMD_OF_INTEREST if f in flags)


def detect_cpu() -> CpuInfo:
    """The CPU part of the detection (cheap, no MXNet)."""
    import os

    return CpuInfo(
        cpu_model(), usable_cores(), os.cpu_count() or 1, simd_features(), platform.machine()
    )


def detect_mxnet() -> MXNetInfo:
    """Load MXNet (about a second the first time) and read its version, build features and GPU count."""
    try:
        mx = load_mxnet()
    except MXNetUnavailable as missing:
        return MXNetInfo(False, problem=missing.reason, fix=missing.fix)
    try:
        enabled = {name for name, feature in mx.runtime.Features().items() if feature.enabled}
    except Exception:  # noqa: BLE001 - very old builds lack mx.runtime; the version still helps
        enabled = set()
    try:
        count = int(mx.context.num_gpus())
    except Exception:  # noqa: BLE001 - a CUDA build without a driver raises here: that means 0 usable
        count = 0
    features = tuple(f for f in MXNET_FEATURES_OF_INTEREST if f in enabled)
    return MXNetInfo(True, mx.__version__, features, count)


def parse_nvidia_smi(text: str) -> list[GpuInfo]:
    """Read `nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader,nounits`."""
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4 or not parts[0].isdigit():
            continue
        memory = int(float(parts[2])) if parts[2].replace(".", "", 1).isdigit() else None
        gpus.append(GpuInfo(int(parts[0]), parts[1], memory, parts[3] or None, False))
    return gpus


def query_nvidia_smi() -> tuple[list[GpuInfo], str]:
    """Ask nvidia-smi for the GPUs; returns them and a status word (never raises)."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return [], "not found"
    try:
        done = subprocess.run(
            [exe, f"--query-gpu={NVIDIA_SMI_QUERY}", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return [], f"failed: {error}"
    if done.returncode != 0:
        return [], f"failed: {(done.stderr or done.stdout).strip()[:200]}"
    gpus = parse_nvidia_smi(done.stdout)
    return gpus, "ok" if gpus else "no GPUs listed"


def merge_gpus(
    smi: list[GpuInfo], mxnet_count: int, mxnet_memory: dict[int, int]
) -> tuple[GpuInfo, ...]:
    """One entry per GPU: nvidia-smi's name and driver, MXNet's say on whether it can use it."""
    by_index = {gpu.index: gpu for gpu in smi}
    merged = []
    for index in sorted(set(by_index) | set(range(mxnet_count))):
        seen = by_index.get(index)
        memory = seen.memory_mib if seen and seen.memory_mib else mxnet_memory.get(index)
        name = seen.name if seen else f"GPU {index} (name unknown: nvidia-smi not found)"
        merged.append(
            GpuInfo(index, name, memory, seen.driver if seen else None, index < mxnet_count)
        )
    return tuple(merged)


def _gpu_memory_mib(count: int) -> dict[int, int]:
    """Total memory of each GPU MXNet can use, in MiB."""
    if not count:
        return {}
    mx = load_mxnet()
    memory = {}
    for index in range(count):
        try:
            memory[index] = int(mx.context.gpu_memory_info(index)[1] // 2**20)
        except Exception:  # noqa: BLE001 - memory is a detail; the GPU is still listed
            pass
    return memory


def detect() -> Detection:
    """Examine this machine (loads MXNet and runs nvidia-smi: call it off the UI thread)."""
    cpu = detect_cpu()
    mxnet = detect_mxnet()
    smi, smi_status = query_nvidia_smi()
    gpus = merge_gpus(
        smi, mxnet.num_gpus, _gpu_memory_mib(mxnet.num_gpus) if mxnet.available else {}
    )
    notes = []
    if smi and mxnet.available and not mxnet.num_gpus:
        why = "this MXNet build has no CUDA" if not mxnet.has_cuda else "MXNet cannot reach them"
        notes.append(
            f"nvidia-smi lists {len(smi)} GPU(s) but {why}: everything runs on the CPU "
            "(a CUDA build such as mxnet-cu112 is needed)"
        )
    return Detection(cpu, mxnet, gpus, smi_status, tuple(notes))


def _run(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=2, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
