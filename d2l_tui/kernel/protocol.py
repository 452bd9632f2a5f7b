"""Length-prefixed JSON messages between the UI process and the kernel process."""

from __future__ import annotations

import json
import struct
from typing import IO, Any

# A 4-byte big-endian length, then that many bytes of UTF-8 JSON.
_HEADER = struct.Struct(">I")
# Guards against reading garbage as a length (a bug, not a learner's doing); 1 GiB.
MAX_MESSAGE_BYTES = 1 << 30


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


def encode_message(message: dict[str, Any]) -> bytes:
    """Return `message` as one framed byte string."""
    # ensure_ascii keeps lone surrogates a learner might print from breaking UTF-8 encoding.
    data = json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return _HEADER.pack(len(data)) + data


def write_message(stream: IO[bytes], message: dict[str, Any]) -> None:
    """Write one message and flush it."""
    stream.write(encode_message(message))
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """Read `size` bytes, or return None at end of stream."""
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(stream: IO[bytes]) -> dict[str, Any] | None:
    """Read one message, or return None when the other side has closed the stream."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {size} bytes is too large")
    data = _read_exactly(stream, size)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError as error:
        raise ProtocolError(f"malformed message: {error}") from error
