"""The `surface` block's pure core: f(x, y) on a grid, its gradient and Hessian, gradient descent.

Nothing here imports Textual or NumPy; the widget in `ui/widgets/surface_panel.py` only draws.
"""
