"""Test modules share helpers as sibling modules: CI runs pytest against the installed package."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_module_imports_the_tests_folder_as_a_package():
    # `tests` has no __init__.py (so the checkout's d2l_tui never shadows the installed one);
    # `from tests.test_app import x` works only where the repository root is on sys.path.
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from|import) tests\b", line)
    ]
    assert not offenders, f"import helpers with `from test_x import ...`: {offenders}"
