"""`d2l-tui serve`: the same tutor in a browser, one app process and data folder per learner (textual-serve)."""
