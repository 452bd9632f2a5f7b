"""The `graph` block's core: an expression as a computational graph, its values and gradients (no Textual)."""
