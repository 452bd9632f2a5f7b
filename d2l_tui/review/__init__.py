"""Spaced review: when each answered quiz comes back, scheduled with FSRS (pure core, no Textual)."""
