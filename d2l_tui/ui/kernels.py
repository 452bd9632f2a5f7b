"""The app's code kernels: one warm namespace per lesson; idle ones closed, never recently used ones."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from d2l_tui.course.model import Lesson

if TYPE_CHECKING:  # the kernel package imports NumPy: the app loads it after the first paint
    from d2l_tui.kernel import CellResult, Kernel

MAX_ALIVE = 3
"""How many kernels may run at once: each holds MXNet (~150 MB) and the learner's arrays."""
# Output limits for the app: enough to read, small enough that a cell stays a cell.
APP_OUTPUT_CHARS = 20_000
APP_OUTPUT_LINES = 200
KEEP_USED = 2
"""The kernels the learner ran code in most recently that are never closed to make room."""
SCRATCHPAD_KEY = "__scratchpad__"
"""The kernel of the scratchpad opened where no lesson is (the course map)."""


def lesson_setup(lesson: Lesson) -> str | None:
    """The `setup` code of a lesson's code cells, joined in order; None when there is none."""
    parts = [
        block.data["setup"].rstrip("\n")
        for block in lesson.blocks
        if block.type == "code" and not block.broken and isinstance(block.data.get("setup"), str)
    ]
    return "\n".join(parts) + "\n" if parts else None


def has_code_cells(lesson: Lesson) -> bool:
    """True when the lesson has a usable code cell."""
    return any(block.type == "code" and not block.broken for block in lesson.blocks)


class KernelPool:
    """Gives one `Kernel` per key (a lesson id), started on demand; at most `max_alive` run.

    Methods may be called from the UI thread and from worker threads alike.
    """

    def __init__(
        self,
        max_alive: int = MAX_ALIVE,
        factory: Callable[[str | None], Kernel] | None = None,
    ) -> None:
        self.max_alive = max_alive
        self._factory = factory or _app_kernel
        self._kernels: OrderedDict[str, Kernel] = OrderedDict()  # least recently used first
        self._busy: set[str] = set()
        self._used: OrderedDict[str, None] = OrderedDict()  # keys code ran in, least recent first
        self._executed: dict[str, tuple[Kernel, int, list[str]]] = {}  # key: (kernel, generation, cells run)
        self._closing: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()  # one thread at a time may start a kernel
        self._closed = False

    def kernel(self, key: str, setup: str | None = None) -> Kernel:
        """The kernel for `key` (created, not started, if new), marked as just used."""
        with self._lock:
            self._check_open()
            kernel = self._kernels.get(key)
            if kernel is None:
                kernel = self._kernels[key] = self._factory(setup)
            self._kernels.move_to_end(key)
            return kernel

    def warm(self, key: str, setup: str | None = None) -> Kernel:
        """Start the kernel for `key` now (MXNet imports in its process), closing old ones."""
        kernel = self.kernel(key, setup)
        with self._start_lock:
            self._check_open()
            kernel.start()  # spawning takes ~1 ms; the import runs in the child
        self._close_least_recently_used()
        return kernel

    def run(self, key: str, code: str, setup: str | None = None, **options: object) -> CellResult:
        """Run `code` in the kernel for `key` (blocking; call from a worker thread).

        A kernel that died stays dead (the result says so) until `restart`.
        """
        with self.holding(key, setup) as kernel:
            return kernel.run(code, **options)  # type: ignore[arg-type]

    @contextmanager
    def holding(self, key: str, setup: str | None = None) -> Iterator[Kernel]:
        """Lend the started kernel for `key` to a caller that runs several things in it (a grader);
        while lent it counts as busy, so making room for another lesson never closes it."""
        with self._lock:
            self._busy.add(key)  # first, so that no other thread's warm() closes it meanwhile
        try:
            kernel = self.kernel(key, setup)
            if kernel.pid is None:  # never started, or closed to make room
                self.warm(key, setup)
            yield kernel
        finally:
            with self._lock:
                self._busy.discard(key)

    def note_used(self, key: str) -> None:
        """The learner ran code in the kernel for `key`: its variables are worth keeping."""
        with self._lock:
            self._used[key] = None
            self._used.move_to_end(key)

    def executed(self, key: str, kernel: Kernel) -> list[str]:
        """The cells (by key) that ran in `kernel`'s current process, in the order they ran."""
        with self._lock:
            return list(self._cells_in(key, kernel))

    def mark_executed(self, key: str, kernel: Kernel, cell: str) -> None:
        """Note that `cell` ran in `kernel`'s current process (what it defined is there now)."""
        with self._lock:
            cells = self._cells_in(key, kernel)
            self._executed[key] = (kernel, kernel.generation, [*[c for c in cells if c != cell], cell])

    def _cells_in(self, key: str, kernel: Kernel) -> list[str]:
        """The cells noted for `key`, if noted in this kernel's current process (else none)."""
        noted, generation, cells = self._executed.get(key, (None, -1, []))
        # A kernel the pool closed is replaced by a new Kernel whose generations count afresh.
        return cells if noted is kernel and generation == kernel.generation else []

    def is_running(self, key: str) -> bool:
        """True while a cell runs in the kernel for `key`."""
        with self._lock:
            return key in self._busy

    def interrupt(self, key: str) -> None:
        """Stop the cell running in the kernel for `key`, if any."""
        with self._lock:
            kernel = self._kernels.get(key)
        if kernel is not None:
            kernel.interrupt()

    def restart(self, key: str, setup: str | None = None) -> Kernel:
        """Give `key` a fresh kernel (empty namespace, setup run again), started at once."""
        kernel = self.kernel(key, setup)
        with self._start_lock:
            self._check_open()
            kernel.restart(setup)
        return kernel

    def _check_open(self) -> None:
        if self._closed:  # a worker late to the party must not start a kernel nobody reaps
            raise RuntimeError("the app is closing, so no code can run")

    @property
    def alive(self) -> list[str]:
        """Keys whose kernel process is running, least recently used first."""
        with self._lock:
            return [key for key, kernel in self._kernels.items() if kernel.alive]

    def _close_least_recently_used(self) -> None:
        """Close idle kernels until at most `max_alive` run: first those no code ran in, oldest
        first, then the older used ones; never the newest, nor the KEEP_USED last used."""
        with self._lock:
            alive = [key for key, kernel in self._kernels.items() if kernel.alive]
            newest = next(reversed(self._kernels), None)
            kept = {newest, *list(self._used)[-KEEP_USED:], *self._busy}
            idle = [key for key in alive if key not in kept]
            idle.sort(key=lambda key: key in self._used)  # stable: oldest first within each kind
            doomed = idle[: max(0, len(alive) - self.max_alive)]
            kernels = [self._kernels.pop(key) for key in doomed]
        for kernel in kernels:  # a clean close may take a second: not on the UI thread
            closing = threading.Thread(target=kernel.close, name="kernel-close", daemon=True)
            closing.start()
            self._closing.append(closing)

    def close_all(self) -> None:
        """Stop every kernel process for good (the app is quitting); running cells end as 'died'."""
        with self._start_lock, self._lock:  # no kernel starts after this
            self._closed = True
            kernels = list(self._kernels.values())
            self._kernels.clear()
        threads = [threading.Thread(target=kernel.close) for kernel in kernels]
        for thread in threads:  # each close may wait up to a second for a clean exit
            thread.start()
        for thread in [*threads, *self._closing]:
            thread.join()
        self._closing.clear()


def _app_kernel(setup: str | None) -> Kernel:
    from d2l_tui.kernel import Kernel

    return Kernel(setup, max_output_chars=APP_OUTPUT_CHARS, max_output_lines=APP_OUTPUT_LINES)
