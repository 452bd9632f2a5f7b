"""The `d2l-tui` command: the tutor itself, and `doctor`, `check`, `progress`, `train` for shells."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from d2l_tui import __version__

if TYPE_CHECKING:
    from d2l_tui.progress import ProgressStore

# Subcommands that live beside the feature they serve: module with configure(parser) and run(args).
FEATURE_COMMANDS = {
    "train": ("d2l_tui.training.command", "train one of the book's models headless (--model) and print the losses"),
    "gpu": ("d2l_tui.gpulab.command", "measure this machine with MXNet: FLOP/s, bandwidth, roofline, known GPUs"),
    "data": ("d2l_tui.datasets.command", "list the image datasets; fetch Fashion-MNIST (resumes, verifies checksums)"),
    "serve": ("d2l_tui.serve.command", "serve the tutor in a browser: one session and progress folder per learner"),
    "review": ("d2l_tui.review.command", "list the questions to review: due today, then missed (--due: only due; --format json)"),
    "export": ("d2l_tui.export.command", "write a lesson (or --all) as a Jupyter notebook; runs nothing"),
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Describe every option and subcommand.

    A feature command's own options are added only when `argv` names that command (or when
    no argv is given): importing every feature to start the tutor would cost ~30 ms.
    """
    parser = argparse.ArgumentParser(prog="d2l-tui", description="A terminal tutor for Dive into Deep Learning (MXNet).")
    parser.add_argument("--version", action="version", version=f"d2l-tui {__version__}")
    parser.add_argument("--lessons", type=Path, help="a folder of lessons to use instead of the shipped course")
    parser.add_argument("--data-dir", type=Path, help="where progress is kept (default: $D2L_TUI_DATA_DIR or the user data folder)")
    parser.add_argument("--lang", choices=["zh", "en"], help="the course language (default: the last one used, else zh)")
    parser.add_argument("--open", metavar="LESSON_ID", help="open this lesson straight away")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # The folder options work after a subcommand too: `d2l-tui progress --data-dir X`.
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--lessons", type=Path, default=argparse.SUPPRESS, help="a folder of lessons to use")
    folders.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="where progress is kept")
    folders.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="the course language")
    commands.add_parser("doctor", help="check Python, NumPy, MXNet, CPU and GPUs; exit 1 when something is missing")
    check = commands.add_parser(
        "check", parents=[folders], help="validate lesson files; print path:line: message per problem",
        description="Validate lesson files and print path:line: message per problem. Reading a lesson never runs it; "
        "code checks (running each code quiz's solution and each numeric quiz's computed answer, in an MXNet kernel) "
        "run for the shipped course, and for other folders only with --run-code.",
    )
    check.add_argument("paths", nargs="*", type=Path, help="lesson files or course folders (default: the shipped course)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--run-code", action="store_true", default=None,
                       help="also run the lessons' quiz solutions (Python) for folders other than the shipped course")
    progress = commands.add_parser("progress", parents=[folders], help="print a summary of your progress")
    progress.add_argument("--reset", action="store_true", help="forget all progress (asks first)")
    progress.add_argument("--yes", action="store_true", help="do not ask before resetting")
    progress.add_argument("--all", action="store_true", help="one line per learner of `d2l-tui serve` (the teacher's view)")
    for name, (module, help_text) in FEATURE_COMMANDS.items():
        feature_parser = commands.add_parser(name, help=help_text)
        if argv is not None and name not in argv:
            continue
        try:
            feature = importlib.import_module(module)
        except ImportError:
            continue
        feature.configure(feature_parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    tolerate_any_encoding()
    try:
        words = sys.argv[1:] if argv is None else argv
        return dispatch(build_parser(words).parse_args(words))
    except BrokenPipeError:
        # `d2l-tui check | head`: the reader left; stop quietly instead of with a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def tolerate_any_encoding() -> None:
    """Print whatever the terminal's encoding cannot show as escapes (`\\u4e00`), never fail on it.

    Under `PYTHONIOENCODING=ascii` (or a C locale without Python's UTF-8 coercion) a Chinese title
    would otherwise end `d2l-tui progress` with a UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        # A replaced stream (pytest's capture, a StringIO) is left as it is.
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def can_show(text: str) -> bool:
    """True when standard output's encoding can show `text` as it is."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def missing_lessons(args: argparse.Namespace) -> str | None:
    """Why `--lessons` cannot be used (it names no folder), or None."""
    folder: Path | None = getattr(args, "lessons", None)
    if folder is None or folder.is_dir():
        return None
    return f"d2l-tui: --lessons {folder}: {'not a folder' if folder.exists() else 'no such folder'}"


def dispatch(args: argparse.Namespace) -> int:
    """Run the subcommand (or the tutor) that the arguments name."""
    problem = missing_lessons(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.command == "doctor":
        return run_doctor()
    if args.command == "check":
        return run_check(args)
    if args.command == "progress":
        return run_progress(args)
    if args.command in FEATURE_COMMANDS:
        return importlib.import_module(FEATURE_COMMANDS[args.command][0]).run(args)
    return run_app(args)


def shell_commands() -> str:
    """The subcommands that work without a terminal, as the no-terminal message names them."""
    names = ["progress", "check", "doctor", *FEATURE_COMMANDS]
    return "`d2l-tui " + names[0] + "`, " + ", ".join(f"`{name}`" for name in names[1:-1]) + f" and `{names[-1]}`"


def run_app(args: argparse.Namespace) -> int:
    """Start the tutor (in a terminal only: without one Textual would spin at full CPU)."""
    # Under `d2l-tui serve` standard input is textual-serve's pipe and its web driver draws the screen.
    if not sys.stdin.isatty() and "web_driver" not in os.environ.get("TEXTUAL_DRIVER", ""):
        print(
            "d2l-tui: the tutor needs a terminal, and standard input is not one. "
            f"Run it in a terminal; {shell_commands()} work without one.",
            file=sys.stderr,
        )
        return 2
    import gc

    # No collections while the UI's modules import: the app turns the collector back on once its
    # first screen is painted (see ui/collector.py).
    gc.disable()
    from d2l_tui.ui.app import make_app
    from d2l_tui.ui.widgets.image_pixels import detect_graphics

    app = make_app(lessons_dir=args.lessons, data_dir=args.data_dir, lang=args.lang, open_lesson=args.open)
    app.graphics = detect_graphics()  # textual-image must ask the terminal before Textual reads it
    app.run()
    return app.return_code or 0


def run_doctor() -> int:
    """Print what this machine has for the course."""
    from d2l_tui.doctor import all_ok, collect, format_report

    findings = collect()
    print(format_report(findings))
    return 0 if all_ok(findings) else 1


def run_check(args: argparse.Namespace) -> int:
    """Validate lessons; exit 1 when any error was found, never with a traceback."""
    from d2l_tui.course.check import run_check as check
    from d2l_tui.paths import shipped_lessons_dir

    paths = args.paths or [args.lessons or shipped_lessons_dir()]
    try:
        report, code = check(paths, args.format, run_code=args.run_code)
    except Exception as error:  # noqa: BLE001 - a checker bug must still end in one clear line
        print(f"d2l-tui check: internal error while checking: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    print(report)
    return code


def run_progress(args: argparse.Namespace) -> int:
    """Print (or reset) the learner's progress."""
    from d2l_tui.course.catalog import Course
    from d2l_tui.paths import data_dir, shipped_lessons_dir
    from d2l_tui.progress import ProgressStore
    from d2l_tui.summary import STATUS_MARKS, progress_report

    if args.all:
        from d2l_tui.serve.roster import roster

        print(roster(Course.load(args.lessons or shipped_lessons_dir()), data_dir(args.data_dir), args.lang or "zh"))
        return 0
    store = ProgressStore.open(data_dir(args.data_dir))
    tell_progress_warnings(store)
    if args.reset:
        return reset_progress(store, args.yes)
    course = Course.load(args.lessons or shipped_lessons_dir())
    from d2l_tui.carry_over import carry_progress

    carry_progress(store, course.replaced)  # shown as the app will show it (saved by the app, not here)
    ascii_only = not can_show("".join(STATUS_MARKS.values()) + "中")
    print(progress_report(course, store, args.lang or store.settings.get("lang", "zh"), ascii_only))
    return 0


def tell_progress_warnings(store: ProgressStore) -> None:
    """Say on standard error what could not be used in the progress file, and where the file was kept."""
    if store.error:
        where = f"it was kept as {store.moved_aside}" if store.moved_aside else "it was left where it is"
        print(f"warning: the progress file could not be read ({store.error}); {where}", file=sys.stderr)
    for problem in store.warnings:
        print(f"warning: ignored in {store.path}: {problem}", file=sys.stderr)
    if store.kept_copy:
        print(f"warning: the progress file as it was is kept as {store.kept_copy}", file=sys.stderr)


def reset_progress(store: ProgressStore, yes: bool) -> int:
    """Forget all progress after asking (unless `yes`); exit 1 when it cannot be saved."""
    if not yes:
        try:
            answer = input(f"Forget all progress in {store.path}? [y/N] ").strip().lower()
        except EOFError:  # no one to answer (standard input closed): the answer is no
            answer = ""
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    if not store.reset():
        print(f"d2l-tui progress: could not reset: {store.save_problem}", file=sys.stderr)
        return 1
    print(f"Progress reset ({store.path}).")
    return 0
