"""Download a dataset's files: mirrors in turn, retries that resume (HTTP Range), checksums, progress.

Pure core: a Textual worker calls `fetch(...)` in a thread and posts each `FetchProgress` it gets as a
message; `cancel` (a `threading.Event`) stops it between chunks, keeping the part file for a resume.
What arrives is written to `<file>.part` and renamed only once its size, MD5 and SHA-1 match.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from d2l_tui.datasets.catalog import (
    FASHION_MNIST,
    FASHION_MNIST_FILES,
    FASHION_MNIST_MIRRORS,
    FileSpec,
    check_name,
)
from d2l_tui.datasets.words import Cancelled, DataError, FetchFailed, Offline, Said, os_reason
from d2l_tui.filelock import exclusive_lock

CHUNK = 64 * 1024
PROGRESS_EVERY_S = 0.1
"""At most ten progress calls a second per file (and always one when a file ends)."""
USER_AGENT = "d2l-tui (dataset fetch)"


@dataclass(frozen=True)
class FetchProgress:
    """Where a download stands; `fetch` passes one to its `progress` callback."""

    file: str
    index: int
    """Which file this is, from 1 to `count`."""
    count: int
    done: int
    """Bytes of this file on disk so far (a resumed part counts)."""
    size: int
    """This file's expected bytes (0 when unknown)."""
    all_done: int
    """Bytes of all files so far."""
    all_size: int
    bytes_per_s: float
    """Speed over this run's transfers of this file (0 before any)."""
    source: str
    """The mirror (or folder) the bytes come from."""
    finished: bool = False
    """True on the last call for this file: it is verified and in place."""

    @property
    def seconds_left(self) -> float | None:
        """Time left for all files at the current speed, or None when it cannot be told."""
        if self.all_size > 0 and self.all_done >= self.all_size:
            return 0.0
        if self.bytes_per_s <= 0 or self.all_size <= 0:
            return None
        return max(0.0, (self.all_size - self.all_done) / self.bytes_per_s)


ProgressCallback = Callable[[FetchProgress], None]


@dataclass(frozen=True)
class Plan:
    """What to fetch and from where; every part can be replaced (tests use a local server)."""

    files: tuple[FileSpec, ...]
    mirrors: tuple[str, ...]
    retries: int = 4
    """Tries per file and mirror; a try that brought bytes does not count."""
    timeout_s: float = 20.0
    backoff_s: float = 0.5
    """Wait before the second try; doubled after each further one."""


MIRRORS_ENV = "D2L_TUI_DATASET_MIRRORS"
"""Base URLs (separated by spaces) tried before the known mirrors: a school's or a company's own."""


def default_plan(name: str) -> Plan:
    """The official files of `name`, and the mirrors in $D2L_TUI_DATASET_MIRRORS then the known ones."""
    if check_name(name) != FASHION_MNIST:
        raise ValueError(f"{name} has nothing to download")
    own = tuple(os.environ.get(MIRRORS_ENV, "").split())
    return Plan(FASHION_MNIST_FILES, own + FASHION_MNIST_MIRRORS)


def file_sums(path: Path) -> tuple[str, str]:
    """The hex MD5 and SHA-1 of the file at `path`."""
    md5, sha1 = hashlib.md5(usedforsecurity=False), hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            md5.update(block)
            sha1.update(block)
    return md5.hexdigest(), sha1.hexdigest()


def mismatch(path: Path, spec: FileSpec, source: str) -> DataError | None:
    """Why the file at `path` is not `spec`'s official file, or None when it is."""
    size = path.stat().st_size
    if spec.size and size != spec.size:
        return FetchFailed("size", file=spec.name, source=source, got=size, want=spec.size)
    md5, sha1 = file_sums(path)
    if spec.md5 and md5 != spec.md5:
        return FetchFailed("checksum", file=spec.name, source=source, got=md5, want=spec.md5)
    if spec.sha1 and sha1 != spec.sha1:
        return FetchFailed(
            "checksum", file=spec.name, source=source, got=md5, want=spec.md5 or spec.sha1
        )
    return None


def is_verified(path: Path, spec: FileSpec) -> bool:
    """True when `path` exists and is `spec`'s official file."""
    return path.is_file() and mismatch(path, spec, str(path)) is None


def fetch(
    name: str,
    dest: Path,
    mirrors: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    *,
    files: Sequence[FileSpec] | None = None,
    source_dir: Path | None = None,
    cancel: threading.Event | None = None,
    plan: Plan | None = None,
) -> list[Path]:
    """Bring `name`'s files into `dest` and return their paths; files already good are kept.

    Args:
        name: the dataset (`fashion-mnist`).
        dest: the folder to keep the files in (`catalog.dataset_root(name)` in the app).
        mirrors: base URLs to try in order (default: the official list).
        progress: called with a `FetchProgress` as bytes arrive (from this thread).
        files: the expected files and checksums (default: the official ones).
        source_dir: copy from this folder (files downloaded by hand) instead of the network.
        cancel: set it to stop; raises `Cancelled` and keeps the part file.
        plan: retries, timeout and backoff (files and mirrors above override its own).

    Raises:
        Offline: no mirror could be reached at all.
        FetchFailed: a file is missing everywhere, or no copy of it had the right checksum.
        Cancelled: `cancel` was set.
    """
    base = plan or default_plan(name)
    chosen = Plan(
        tuple(files) if files is not None else base.files,
        tuple(mirrors) if mirrors is not None else base.mirrors,
        base.retries,
        base.timeout_s,
        base.backoff_s,
    )
    job = _Job(name, dest, chosen, progress, cancel or threading.Event())
    return job.run(source_dir)


LOCK_NAME = ".fetch.lock"


@contextmanager
def only_fetcher(dest: Path, name: str) -> Iterator[None]:
    """Hold `dest`'s fetch lock: two windows writing one part file would corrupt it.

    Refuses at once when another process holds it, so a waiting worker stays cancellable.
    """
    try:
        import fcntl
    except ImportError:  # Windows: the shared lock helper waits its turn instead
        with exclusive_lock(dest / LOCK_NAME):
            yield
        return
    handle = os.open(dest / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchFailed("busy", dataset=name, folder=str(dest)) from None
        yield
    finally:
        os.close(handle)  # closing releases the lock


class _Job:
    """One call of `fetch`: the files in turn, with the byte counts progress reports need."""

    def __init__(
        self,
        name: str,
        dest: Path,
        plan: Plan,
        progress: ProgressCallback | None,
        cancel: threading.Event,
    ) -> None:
        self.name, self.dest, self.plan, self.cancel = name, dest, plan, cancel
        self.report = progress or (lambda _: None)
        self.all_size = sum(spec.size for spec in plan.files)
        self.finished_bytes = 0
        self.index = 0
        self.answered = False
        """Whether the mirror being tried has answered at all (an HTTP status counts)."""
        self.unreachable: dict[str, Offline] = {}
        """Mirrors that never answered in this job, and why."""

    def run(self, source_dir: Path | None) -> list[Path]:
        try:
            self.dest.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FetchFailed(
                "disk",
                file=str(self.dest),
                reason=os_reason(error),
            ) from None
        with only_fetcher(self.dest, self.name):
            return self.each_file(source_dir)

    def each_file(self, source_dir: Path | None) -> list[Path]:
        paths = []
        for index, spec in enumerate(self.plan.files, start=1):
            self.index = index
            target = self.dest / spec.name
            source = str(self.dest)  # already here and verified
            if is_verified(target, spec):
                pass
            elif source_dir is not None:
                source = str(source_dir)
                self.copy(spec, source_dir, target)
            else:
                source = self.download(spec, target)
            self.finished_bytes += target.stat().st_size
            self.say(spec, target.stat().st_size, 0.0, source, finished=True)
            paths.append(target)
        return paths

    def say(
        self, spec: FileSpec, done: int, speed: float, source: str, finished: bool = False
    ) -> None:
        in_file = 0 if finished else done
        self.report(
            FetchProgress(
                spec.name,
                self.index,
                len(self.plan.files),
                done,
                spec.size,
                self.finished_bytes + in_file,
                max(self.all_size, self.finished_bytes + in_file),
                speed,
                source,
                finished,
            )
        )

    def copy(self, spec: FileSpec, folder: Path, target: Path) -> None:
        found = folder / spec.name
        if not found.is_file():
            raise FetchFailed("missing-source", folder=str(folder), file=spec.name)
        problem = mismatch(found, spec, str(folder))
        if problem:
            raise problem
        part = target.with_name(target.name + ".part")
        shutil.copyfile(found, part)
        os.replace(part, target)

    def download(self, spec: FileSpec, target: Path) -> str:
        """Try each mirror in turn; the first good copy wins. Returns that mirror."""
        problems: list[DataError] = []
        for mirror in self.plan.mirrors:
            if mirror in self.unreachable:
                problems.append(self.unreachable[mirror])
                continue
            try:
                self.from_mirror(spec, mirror, target)
                return mirror
            except _Unreachable as error:
                # Not asked again for the next files: four files would wait out its retries four times.
                self.unreachable[mirror] = Offline(
                    "offline", dataset=self.name, reason=error.reason
                )
                problems.append(self.unreachable[mirror])
            except FetchFailed as error:
                problems.append(error)
        if not problems:
            raise FetchFailed("no-mirrors", dataset=self.name)
        # Offline only when no mirror answered at all; else the last real answer says most.
        answered = [p for p in problems if not isinstance(p, Offline)]
        raise answered[-1] if answered else problems[-1]

    def from_mirror(self, spec: FileSpec, mirror: str, target: Path) -> None:
        """Download `spec` from one mirror, resuming after dropped connections, then verify it.

        A part left by an earlier run that fails the checksum is thrown away and downloaded once
        more from the start: it may have come from another mirror or a different file.
        """
        url = (mirror if mirror.endswith("/") else mirror + "/") + spec.name
        part = target.with_name(target.name + ".part")
        resumed = part.exists()
        self.answered = False
        while True:
            self.until_whole(spec, url, part, mirror)
            problem = mismatch(part, spec, mirror)
            part_was_old, resumed = resumed, False
            if problem is None:
                os.replace(part, target)
                return
            part.unlink(missing_ok=True)
            if not part_was_old:
                raise problem

    def until_whole(self, spec: FileSpec, url: str, part: Path, mirror: str) -> None:
        """Request `url` until the part is whole; a try that brought bytes does not count."""
        tries = 0
        while True:
            have = size_of(part)
            try:
                self.transfer(spec, url, part, mirror)
                return
            except _Dropped as error:
                tries = 0 if size_of(part) > have else tries + 1
                # A name that does not resolve, or a port nobody listens on, will not change a
                # second later; a timeout or a cut might.
                final = error.reason.key in ("reason-dns", "reason-refused")
                if tries >= self.plan.retries or final:
                    if not self.answered:
                        raise _Unreachable(error.reason) from None
                    raise FetchFailed(
                        "gave-up", file=spec.name, source=mirror, tries=tries, reason=error.reason
                    ) from None
                if tries:
                    time.sleep(self.plan.backoff_s * 2 ** (tries - 1))

    def transfer(self, spec: FileSpec, url: str, part: Path, mirror: str) -> None:
        """One HTTP request: append what it brings to `part`; raise `_Dropped` when it breaks off."""
        have = size_of(part)
        if spec.size and have > spec.size:
            part.unlink()
            have = 0
        headers = {"User-Agent": USER_AGENT}
        if have:
            headers["Range"] = f"bytes={have}-"
        request = urllib.request.Request(url, headers=headers)
        try:
            response = urllib.request.urlopen(request, timeout=self.plan.timeout_s)
        except urllib.error.HTTPError as error:
            self.answered = True
            if error.code == 416 and have:
                return  # the part is already whole; the checksum decides
            if error.code >= 500 or error.code == 429:
                raise _Dropped(Said("reason-http", status=error.code)) from None
            raise FetchFailed(
                "not-found", file=spec.name, reason=Said("reason-http", status=error.code)
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _Dropped(why(error, self.plan.timeout_s)) from None
        self.answered = True
        with response:
            start = resumed_at(response, have)
            if start is None:
                part.unlink(missing_ok=True)  # a range we cannot use: start over
                raise _Dropped(Said("reason-dropped"))
            done = self.receive(spec, response, part, start, mirror)
        # Content-Length (or the known size) promised more than came: the connection broke off.
        if response.length or (spec.size and done < spec.size):
            raise _Dropped(Said("reason-dropped"))

    def receive(
        self,
        spec: FileSpec,
        response: http.client.HTTPResponse,
        part: Path,
        start: int,
        mirror: str,
    ) -> int:
        """Write the body to `part` from byte `start` on, reporting progress; return the bytes now in it."""
        done = start
        began, last = time.monotonic(), 0.0
        with open_part(part, start) as out:
            while True:
                if self.cancel.is_set():
                    raise Cancelled("cancelled", file=spec.name)
                try:
                    chunk = response.read(CHUNK)
                except (OSError, http.client.HTTPException) as error:
                    raise _Dropped(why(error, self.plan.timeout_s)) from None
                if not chunk:
                    return done
                write_part(out, chunk, part)
                done += len(chunk)
                now = time.monotonic()
                if now - last >= PROGRESS_EVERY_S:
                    last = now
                    self.say(spec, done, (done - start) / max(now - began, 1e-6), mirror)


def size_of(path: Path) -> int:
    """The file's length in bytes, 0 when there is none."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def open_part(part: Path, start: int) -> BinaryIO:
    """The part file, open for writing at byte `start` (anything after it dropped)."""
    try:
        out = part.open("r+b" if start and part.exists() else "wb")
        out.seek(start)
        out.truncate()
    except OSError as error:
        raise disk_full(part, error) from None
    return out


def write_part(out: BinaryIO, chunk: bytes, part: Path) -> None:
    """Append `chunk`; a full or read-only disk is the learner's to fix, not the network's."""
    try:
        out.write(chunk)
    except OSError as error:
        raise disk_full(part, error) from None


def disk_full(part: Path, error: OSError) -> FetchFailed:
    """The failure to show when the part cannot be written."""
    return FetchFailed("disk", file=str(part), reason=os_reason(error))


def resumed_at(response: http.client.HTTPResponse, have: int) -> int | None:
    """Where the body goes in the part: 0 for a whole file, the range's start for a 206 we can use.

    None for a 206 whose range starts past what the part holds (or cannot be read).
    """
    if response.status != 206:
        return 0
    content_range = response.headers.get("Content-Range", "")
    # "bytes 100-199/200"
    try:
        first = int(content_range.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None
    return first if 0 <= first <= have else None


def why(error: BaseException, timeout_s: float) -> Said:
    """A network failure in words either language can show."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return Said("reason-dns")
    if isinstance(reason, ConnectionRefusedError):
        return Said("reason-refused")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return Said("reason-timeout", seconds=timeout_s)
    if isinstance(
        reason, (ConnectionError, http.client.IncompleteRead, http.client.RemoteDisconnected)
    ):
        return Said("reason-dropped")
    return Said("reason-network", detail=str(reason) or type(reason).__name__)


class _Dropped(Exception):
    """A request that broke off or could not be made; worth another try."""

    def __init__(self, reason: Said) -> None:
        super().__init__(str(reason))
        self.reason = reason


class _Unreachable(Exception):
    """A mirror that never answered, after every try."""

    def __init__(self, reason: Said) -> None:
        super().__init__(str(reason))
        self.reason = reason
