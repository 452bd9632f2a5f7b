"""How `d2l-tui train` ends a run that did not finish: interrupted, failed or diverged."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def run_to_end(train: Callable[[], Any], as_json: bool) -> tuple[int, Any]:
    """Run `train`: (EXIT_OK, its final event), or say why it stopped early and its exit code."""
    from d2l_tui.training.events import Diverged, Failed

    try:
        final = train()
    except KeyboardInterrupt:
        print("d2l-tui train: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED, None
    if isinstance(final, Failed):
        fix = f"\n  fix: {final.fix}" if final.fix else ""
        print(f"d2l-tui train: {final.message}{fix}", file=sys.stderr)
        return EXIT_FAILED, None
    if isinstance(final, Diverged):
        if as_json:
            diverged = {"status": "diverged", "message": final.message, "step": final.step}
            print(json.dumps({**diverged, "reason": final.reason, "lr": final.lr}))
        print(f"d2l-tui train: {final.message}\n  ({final.reason})", file=sys.stderr)
        return EXIT_DIVERGED, None
    return EXIT_OK, final
