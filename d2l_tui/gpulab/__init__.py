"""The GPU lab: detect this machine, measure it with MXNet, draw its roofline, compare it with known cards.

Pure core (no Textual). `d2l-tui gpu` (command.py) and the `device` block's panel both use it.
"""
