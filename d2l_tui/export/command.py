"""`d2l-tui export LESSON_ID | --all`: write lessons as Jupyter notebooks; runs none of their code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the `export` options to a (sub)parser."""
    parser.add_argument("lesson", nargs="?", metavar="LESSON_ID", help="the lesson to export (see d2l-tui progress)")
    parser.add_argument("--all", action="store_true", help="export every lesson, one notebook each, and index.ipynb")
    parser.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS,
                        help="the lesson's language (default: the last one used, else zh)")
    parser.add_argument("--with-my-work", action="store_true",
                        help="your edited code and its last outputs instead of the lesson's code")
    parser.add_argument("-o", "--output", type=Path,
                        help="the notebook to write (default LESSON_ID.ipynb); with --all, a folder (default d2l-notebooks)")
    parser.add_argument("--force", action="store_true", help="replace notebooks that already exist")
    parser.add_argument("--lessons", type=Path, default=argparse.SUPPRESS, help="a folder of lessons to use")
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="where your progress and cells are kept")


def run(args: argparse.Namespace) -> int:
    """Export what `args` asks for; say what was written, or why nothing was."""
    if bool(args.lesson) == bool(args.all):
        print("d2l-tui export: name one lesson (LESSON_ID) or give --all", file=sys.stderr)
        return EXIT_USAGE
    try:
        from d2l_tui.export.write import ExportError, export_all, export_one
    except ImportError as error:  # nbformat is a dependency, but an install can lack it
        print(f"d2l-tui export: needs the nbformat package ({error}); install it with: pip install nbformat", file=sys.stderr)
        return EXIT_FAILED
    try:
        written = export_all(args) if args.all else [export_one(args)]
    except ExportError as error:
        print(f"d2l-tui export: {error}", file=sys.stderr)
        return EXIT_FAILED
    for path in written:
        print(path)
    return EXIT_OK
