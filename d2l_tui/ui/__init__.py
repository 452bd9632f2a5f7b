"""The Textual user interface: a thin layer over the pure course, progress and engine modules."""
