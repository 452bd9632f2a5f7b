"""Test helper: load MXNet as the app does (through mxnet_env) or skip; shared by the model tests."""

from __future__ import annotations

from types import ModuleType

import pytest

from d2l_tui.mxnet_env import MXNetUnavailable, load_mxnet


def mxnet_or_skip() -> ModuleType:
    """MXNet, loaded with the NumPy aliases MXNet 1.9.1 needs on NumPy 1.24+; else skip.

    Call it at a test module's top to skip the whole module, or inside one test to skip that test.
    """
    try:
        return load_mxnet()
    except MXNetUnavailable as missing:
        pytest.skip(f"MXNet cannot be used here: {missing.reason}", allow_module_level=True)
