"""A NumPy reader for IDX files (the MNIST family's format), gzipped or not; no pickle, no MXNet."""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

from d2l_tui.datasets.words import Said, Unreadable, os_reason

# The third byte of the magic number names the element type; IDX stores numbers big-endian.
_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_bytes(path: Path) -> bytes:
    """The file's content, un-gzipped when it starts with gzip's magic."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise Unreadable("unreadable", file=path.name, reason=os_reason(error)) from None
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error):
        raise Unreadable("unreadable", file=path.name, reason=Said("reason-gzip")) from None


def parse_idx(data: bytes, name: str = "IDX") -> np.ndarray:
    """The array an IDX file's bytes hold, in its own shape and (native-endian) type."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _TYPES or data[3] == 0:
        raise Unreadable(
            "unreadable",
            file=name,
            reason=Said("reason-magic", start=data[:4].hex(" ") or "nothing"),
        )
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise Unreadable(
            "unreadable", file=name, reason=Said("reason-short", got=len(data), want=header)
        )
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_TYPES[data[2]])
    want = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    got = len(data) - header
    if got < want:
        raise Unreadable("unreadable", file=name, reason=Said("reason-short", got=got, want=want))
    array = np.frombuffer(data, dtype=dtype, count=want // dtype.itemsize, offset=header)
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path: Path) -> np.ndarray:
    """The array in the IDX file at `path` (`.gz` or not)."""
    return parse_idx(read_bytes(path), path.name)


def to_idx(array: np.ndarray) -> bytes:
    """`array` as IDX bytes (for tests and for learners who make their own small sets)."""
    codes = {np.dtype(v).newbyteorder("="): k for k, v in _TYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise ValueError(f"IDX cannot hold {array.dtype}")
    header = bytes([0, 0, codes[native], array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(_TYPES[codes[native]]).tobytes()
