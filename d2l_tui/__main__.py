"""Allow `python -m d2l_tui`."""

from d2l_tui.cli import main

raise SystemExit(main())
