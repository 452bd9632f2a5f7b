"""A skipped magic is said under the cell in the lesson's language (not as an English '✔' line)."""

from __future__ import annotations

from d2l_tui.kernel import Kernel
from d2l_tui.ui.widgets.cell_output import SavedResult, result_data, result_text


def test_matplotlib_inline_is_noted_in_zh_and_en_and_kept_in_the_workbook() -> None:
    with Kernel() as kernel:
        assert kernel.wait_ready(60), "the kernel did not start"
        result = kernel.run("%matplotlib inline\nprint('hi')\n1 + 1")
        plain = kernel.run("print('hi')")
    assert result.ok and result.magic_notes == ("%matplotlib inline",) and plain.magic_notes == ()
    zh = result_text(result, "ctrl+r", "zh").plain
    assert zh.startswith("%matplotlib inline：终端里不需要，已跳过\n") and "✔" not in zh and "hi\n2" in zh
    en = result_text(result, "ctrl+r", "en").plain
    assert en.startswith("%matplotlib inline: not needed in the terminal, skipped\n") and "✔" not in en
    saved = SavedResult.from_data(result_data(result))
    assert saved.magic_notes == ("%matplotlib inline",) and result_text(saved, "ctrl+r", "zh").plain == zh
    assert "magic_notes" not in result_data(plain)
