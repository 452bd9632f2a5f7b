"""`d2l-tui data`: list the image datasets, and fetch Fashion-MNIST (with a progress bar) for shells."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from d2l_tui.datasets.catalog import (
    FASHION_MNIST,
    FASHION_MNIST_FILES,
    FASHION_MNIST_MIRRORS,
    FileSpec,
    check_name,
    dataset_names,
    dataset_root,
    mxnet_root,
)
from d2l_tui.datasets.fetch import FetchProgress, Plan, default_plan, fetch, is_verified
from d2l_tui.datasets.status import DatasetStatus, all_status
from d2l_tui.datasets.words import DataError, Offline

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def configure(parser: argparse.ArgumentParser) -> None:
    """Add `list` and `fetch` to the `data` (sub)parser."""
    # SUPPRESS: a --data-dir given before `data` is kept when this one is not given.
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the data folder (datasets go in its datasets/ folder)",
    )
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION")
    listing = actions.add_parser(
        "list", parents=[where], help="show which datasets are here, their size and where"
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--verify", action="store_true", help="check every file's checksums, not only its size"
    )
    getting = actions.add_parser(
        "fetch",
        parents=[where],
        help="download a dataset (resumes, checks checksums)",
        description="Download the four official Fashion-MNIST files into the data folder, trying each mirror "
        "in turn; an interrupted download resumes where it stopped. Behind a blocked network, download "
        "the four .gz files by hand and pass their folder with --from.",
    )
    getting.add_argument("name", choices=list(dataset_names()), help="the dataset (fashion-mnist)")
    getting.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="copy the files from DIR (downloaded by hand) instead of downloading",
    )
    getting.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help="a base URL to try before the known mirrors (repeatable; "
        "$D2L_TUI_DATASET_MIRRORS holds more, separated by spaces, for the app too)",
    )
    getting.add_argument(
        "--no-known-mirrors",
        action="store_true",
        help="try only your own mirrors: --mirror and $D2L_TUI_DATASET_MIRRORS (a closed network's)",
    )
    getting.add_argument(
        "--retries", type=int, default=4, help="tries per file and mirror (default 4)"
    )
    getting.add_argument(
        "--timeout", type=float, default=20.0, help="seconds to wait for a server (default 20)"
    )


def run(args: argparse.Namespace, files: Sequence[FileSpec] | None = None) -> int:
    """Do what `args` ask and return the exit code.

    Args:
        files: expected files and checksums instead of the official ones (tests serve their own).
    """
    data_dir: Path | None = getattr(args, "data_dir", None)
    if getattr(args, "data_action", None) == "fetch":
        return run_fetch(args, data_dir, files)
    expected = files if files is not None else FASHION_MNIST_FILES
    rows = all_status(data_dir, getattr(args, "verify", False), expected)
    return run_list(rows, getattr(args, "format", "text"), sys.stdout)


def run_list(rows: list[DatasetStatus], form: str, out: TextIO) -> int:
    """Print every dataset's state, size and folder."""
    if form == "json":
        print(
            json.dumps(
                [
                    {
                        "name": r.name,
                        "state": r.state,
                        "bytes": r.size,
                        "path": str(r.path),
                        "files": r.files_present,
                        "files_total": r.files_total,
                    }
                    for r in rows
                ]
            ),
            file=out,
        )
        return EXIT_OK
    table = [("NAME", "STATE", "SIZE", "WHERE")]
    table += [(r.name, state_text(r), human_bytes(r.size), str(r.path)) for r in rows]
    widths = [max(len(line[column]) for line in table) for column in range(3)]
    for name, state, size, where in table:
        print(f"{name:<{widths[0]}}  {state:<{widths[1]}}  {size:>{widths[2]}}  {where}", file=out)
    if any(row.state != "present" and row.name == FASHION_MNIST for row in rows):
        print(
            f"Get Fashion-MNIST with: d2l-tui data fetch {FASHION_MNIST}  (lessons use digits until then)",
            file=out,
        )
    return EXIT_OK


def state_text(row: DatasetStatus) -> str:
    """The STATE column: partial and damaged downloads say how many files are good."""
    if row.state in ("partial", "damaged"):
        return f"{row.state} ({row.files_present}/{row.files_total} files)"
    return row.state


def run_fetch(
    args: argparse.Namespace, data_dir: Path | None, files: Sequence[FileSpec] | None
) -> int:
    """Download (or copy) a dataset with a progress line on standard error."""
    name = check_name(args.name)
    if name != FASHION_MNIST:
        print(f"d2l-tui data: {name} ships with d2l-tui: nothing to download", file=sys.stderr)
        return EXIT_OK
    plan = plan_from_args(args, files)
    if isinstance(plan, str):
        print(f"d2l-tui data: {plan}", file=sys.stderr)
        return EXIT_USAGE
    source = args.source or book_copy(name, plan.files)
    if source is not None and args.source is None:
        print(f"Copying from MXNet's own folder {source}", file=sys.stderr)
    dest = dataset_root(name, data_dir)
    bar = ProgressBar(sys.stderr)
    try:
        paths = fetch(name, dest, progress=bar, source_dir=source, plan=plan)
    except DataError as error:
        bar.close()
        print(
            f"d2l-tui data: {error}{offline_hint(name) if isinstance(error, Offline) else ''}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        bar.close()
        print("d2l-tui data: interrupted; run the same command to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    bar.close()
    total = sum(path.stat().st_size for path in paths)
    print(f"{name}: {len(paths)} files, {human_bytes(total)}, checksums verified, in {dest}")
    return EXIT_OK


def plan_from_args(args: argparse.Namespace, files: Sequence[FileSpec] | None) -> Plan | str:
    """The files, mirrors, retries and timeout the options ask for, or what is wrong with them."""
    if args.retries < 1 or args.timeout <= 0:
        return "--retries must be 1 or more and --timeout above 0"
    official = default_plan(args.name)
    # --no-known-mirrors keeps the learner's own: --mirror and $D2L_TUI_DATASET_MIRRORS.
    known = FASHION_MNIST_MIRRORS if args.no_known_mirrors else ()
    mirrors = tuple(args.mirror or ()) + tuple(m for m in official.mirrors if m not in known)
    if not mirrors and args.source is None:
        return "--no-known-mirrors needs a --mirror URL (or use --from DIR)"
    return Plan(
        tuple(files) if files is not None else official.files, mirrors, args.retries, args.timeout
    )


def offline_hint(name: str) -> str:
    """What an offline learner can do, on the same line as the failure."""
    return (
        f"; lessons use the shipped digits until it is fetched (blocked? download the four .gz files by "
        f"hand and run: d2l-tui data fetch {name} --from DIR)"
    )


def book_copy(name: str, files: Sequence[FileSpec]) -> Path | None:
    """MXNet's own folder for `name` when it already holds every official file (the book fetched them)."""
    folder = mxnet_root(name)
    return folder if all(is_verified(folder / spec.name, spec) for spec in files) else None


class ProgressBar:
    """Draws `FetchProgress` on a terminal (one line redrawn) or as a line per finished file."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()
        self.drawn = False

    def __call__(self, progress: FetchProgress) -> None:
        if self.live:
            width = shutil.get_terminal_size((80, 24)).columns
            self.out.write("\r" + bar_line(progress, width)[: width - 1].ljust(width - 1))
            self.out.flush()
            self.drawn = True
            if progress.finished:
                self.out.write("\n")
                self.drawn = False
        elif progress.finished:
            print(
                f"[{progress.index}/{progress.count}] {progress.file}  {human_bytes(progress.done)}  ok",
                file=self.out,
                flush=True,
            )

    def close(self) -> None:
        """End a half-drawn line, so what follows starts on its own."""
        if self.drawn:
            self.out.write("\n")
            self.drawn = False


def bar_line(progress: FetchProgress, width: int = 100) -> str:
    """`[2/4] name  ██████░░░░  12.3 MB/26.4 MB  1.2 MB/s  0:11 left`, the bar sized to `width`."""
    size = progress.size or progress.done
    share = progress.done / size if size else 1.0
    head = f"[{progress.index}/{progress.count}] {progress.file}"
    amounts = f"{human_bytes(progress.done)}/{human_bytes(size)}"
    speed = f"{human_bytes(int(progress.bytes_per_s))}/s" if progress.bytes_per_s else ""
    left = progress.seconds_left
    eta = "done" if progress.finished else f"{clock(left)} left" if left is not None else ""
    tail = "  ".join(part for part in (amounts, speed, eta) if part)
    room = width - 1 - len(tail) - 4  # the cursor's column and two gaps of two
    if len(head) + 10 > room:
        # Narrow terminals: "train-images" says enough; the numbers matter more than the bar.
        head = f"[{progress.index}/{progress.count}] {progress.file.split('-idx')[0]}"
    cells = min(30, room - len(head))
    if cells < 5:
        return f"{head}  {tail}"
    filled = round(cells * min(1.0, share))
    return f"{head}  {'█' * filled}{'░' * (cells - filled)}  {tail}"


def clock(seconds: float) -> str:
    """Seconds as m:ss (h:mm:ss past an hour)."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def human_bytes(count: int) -> str:
    """Bytes in decimal units, as download tools show them (26.4 MB)."""
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{count} B"


def main(argv: list[str] | None = None) -> int:
    """Run `data` on its own: `python -m d2l_tui.datasets.command fetch fashion-mnist`."""
    parser = argparse.ArgumentParser(prog="d2l-tui data", description=__doc__)
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
