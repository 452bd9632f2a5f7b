"""Image datasets for classification: the shipped digits, Fashion-MNIST on demand (pure core).

Everything a lesson, a training engine or a panel needs (all names are importable from here):

- `dataset_names()` -> ("digits", "fashion-mnist"); digits ships with the package, so it is the
  default and every lesson works offline.
- `class_names(dataset, lang)` -> ten names in "zh" or "en"; `title(dataset, lang)` names the set.
- `load_digits(flat=False, test_fraction=0.2, seed=0)` -> `Split(train_x, train_y, test_x, test_y)`:
  float32 pixels in [0, 1] shaped (n, 8, 8) (or (n, 64) with flat=True), int32 labels; 1,438 train
  and 359 test images, each class split in proportion, the same split on every machine.
- `load_fashion_mnist(root, reader="auto", flat=False)` -> `Split` of (n, 28, 28) images: 60,000
  train, 10,000 test. Reads with the book's `gluon.data.vision.FashionMNIST(root=...)` when MXNet is
  there and the files are the official ones, else with a NumPy IDX reader. Raises `DatasetMissing`
  or `Unreadable` (both `DataError`).
- `load_dataset(name, data_dir=None, flat=False)` -> `Loaded(name, split, fallback)`: what a panel
  should call. Without Fashion-MNIST it gives digits and `fallback.words(lang)`, one line saying why.
- `dataset_root(name, data_dir=None)` -> `<data folder>/datasets/<name>`, where `fetch` keeps files.
- `dataset_status(name, data_dir=None, verify=False)` -> `DatasetStatus(name, state, size, path, ...)`:
  state is "shipped", "present", "damaged", "partial" or "missing" (sizes only unless `verify`).
- `fetch(name, dest, mirrors=None, progress=None, *, files=None, source_dir=None, cancel=None,
  plan=None)` -> the file paths. Default mirrors: $D2L_TUI_DATASET_MIRRORS, then the known ones. Blocking: call it in a thread worker. `progress` gets a
  `FetchProgress` (file, index/count, done/size, all_done/all_size, bytes_per_s, seconds_left,
  source, finished) at most ten times a second per file; post it as a message, touch no widget.
  Set `cancel` (a `threading.Event`) to stop: raises `Cancelled` and keeps the part for a resume.
  Fails with `Offline` (no mirror reachable: show `error.words(lang)` and use digits) or
  `FetchFailed` (a checksum or size mismatch, a file no mirror has, a full disk).
  A second fetch into the same folder (another window) fails at once with `FetchFailed` ("busy").
- Every `DataError` has `.words(lang)`: one line in zh or en with no traceback.

Loading Fashion-MNIST takes about a second and fetching takes minutes: run both in a thread
worker that only posts messages, for example

    @work(thread=True, exclusive=True, group="fetch")
    def fetch_fashion(self) -> None:
        try:
            fetch(FASHION_MNIST, dataset_root(FASHION_MNIST, data_dir), cancel=self.stop_fetch,
                  progress=lambda p: self.post_message(self.Fetching(p)))
        except DataError as error:
            self.post_message(self.FetchEnded(error.words(lang)))

The command line is `d2l-tui data list` and `d2l-tui data fetch fashion-mnist [--from DIR]
[--mirror URL]` (`datasets/command.py`). Nothing here imports Textual, or MXNet until a loader
is asked to read with it.
"""

from __future__ import annotations

from d2l_tui.datasets.catalog import (
    DIGITS,
    FASHION_MNIST,
    FileSpec,
    class_names,
    dataset_names,
    dataset_root,
    title,
)
from d2l_tui.datasets.digits import Split, load_digits
from d2l_tui.datasets.fashion import load_fashion_mnist
from d2l_tui.datasets.fetch import FetchProgress, Plan, fetch
from d2l_tui.datasets.load import Loaded, load_dataset
from d2l_tui.datasets.status import DatasetStatus, dataset_status
from d2l_tui.datasets.words import (
    Cancelled,
    DataError,
    DatasetMissing,
    FetchFailed,
    Offline,
    Said,
    Unreadable,
)

__all__ = [
    "DIGITS",
    "FASHION_MNIST",
    "Cancelled",
    "DataError",
    "DatasetMissing",
    "DatasetStatus",
    "FetchFailed",
    "FetchProgress",
    "FileSpec",
    "Loaded",
    "Offline",
    "Plan",
    "Said",
    "Split",
    "Unreadable",
    "class_names",
    "dataset_names",
    "dataset_root",
    "dataset_status",
    "fetch",
    "load_dataset",
    "load_digits",
    "load_fashion_mnist",
    "title",
]
