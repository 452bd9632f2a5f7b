"""d2l-tui: a terminal tutor for Dive into Deep Learning (MXNet edition)."""

__version__ = "0.1.0"
