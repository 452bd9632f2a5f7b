"""An exclusive lock on a lock file, held while one process reads, merges and writes a shared file.

POSIX uses `fcntl.flock` (released by the kernel if the holder dies); Windows locks the lock
file's first byte with `msvcrt.locking`, retrying while another process holds it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WINDOWS_WAIT = 10.0
"""Seconds to wait for another process's lock on Windows before giving up (msvcrt cannot block forever)."""


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the `with` block; raise OSError if impossible."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(handle)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


def _lock(handle: int) -> None:
    """Block until this process holds the lock."""
    try:
        import fcntl
    except ImportError:  # Windows
        _lock_windows(handle)
        return
    fcntl.flock(handle, fcntl.LOCK_EX)


def _unlock(handle: int) -> None:
    """Release the lock."""
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_windows(handle: int) -> None:
    """Lock the file's first byte, retrying for `WINDOWS_WAIT` seconds (LK_LOCK itself gives up after ~10 s)."""
    import msvcrt

    deadline = time.monotonic() + WINDOWS_WAIT
    while True:
        os.lseek(handle, 0, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
