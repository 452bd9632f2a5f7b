"""The training panel's words in English and Chinese: the core's phrases and the panel's labels."""

from __future__ import annotations

import copy
import pickle
import re
import string

import pytest
from rich.cells import cell_len

from d2l_tui.training.config import SettingError, TrainConfig, parse_setting
from d2l_tui.training.doctor import divergence_message, divergence_reason, epoch_hint
from d2l_tui.training.events import EpochEnd, Progress
from d2l_tui.training.history import RunRecord
from d2l_tui.training.words import WORDS, Phrase, in_language
from d2l_tui.ui.widgets.training_view import RunView, fixed_settings, results_rows
from d2l_tui.ui.widgets.training_words import LABELS, engine_name

STATUS_WIDTH_AT_80 = 51
"""The status line's width in a lesson 80 columns wide."""


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", [WORDS, LABELS], ids=["core", "panel"])
def test_every_message_has_both_languages_with_the_same_values(table: dict) -> None:
    assert table["en"].keys() == table["zh"].keys()
    for key, english in table["en"].items():
        assert fields(english) == fields(table["zh"][key]), key
        assert not re.search(r"[\u4e00-\u9fff]", english), key


def test_the_doctor_speaks_english_by_default_and_chinese_when_asked() -> None:
    message = divergence_message(7, 5.0)
    assert message == "diverged at step 7: the learning rate is probably too large (lr=5)"
    assert message.words("zh") == "在第 7 步发散了：学习率多半太大了（lr=5）"
    grew = divergence_reason(2000.0, 1.0, 10.0)
    assert grew is not None and grew.words("zh") == "损失涨了 1000 倍以上，从 1 涨到 2e+03"
    stalled = epoch_hint(16.0, 15.95, start=16.0, noise=0.01, lr=1e-5)
    assert stalled is not None and stalled.words("zh") == "损失几乎不动：试试比 1e-05 大的学习率"
    assert stalled.words("fr") == str(stalled)  # no translation: English


def test_phrases_survive_copies_and_pickles_and_plain_text_stays_as_it_is() -> None:
    message = divergence_message(3, 0.5)
    for again in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert isinstance(again, Phrase) and again == message
        assert again.words("zh") == message.words("zh")
    assert in_language("TypeError: boom", "zh") == "TypeError: boom"


def test_setting_errors_in_both_languages() -> None:
    with pytest.raises(SettingError) as bad_lr:
        parse_setting("lr", "fast")
    assert str(bad_lr.value) == (
        "learning rate must be a number from 1e-30 to 1e+06, e.g. 0.03 (MXNet computes in float32)"
    )
    assert bad_lr.value.words("zh") == "学习率 lr 必须是 1e-30 到 1e+06 之间的数，例如 0.03（MXNet 用 float32 计算）"
    with pytest.raises(SettingError) as too_big:
        parse_setting("batch_size", "500", TrainConfig(examples=100))
    assert too_big.value.words("zh") == "批量大小 batch_size 必须是 1 到样本数（100）之间的整数"
    with pytest.raises(SettingError) as unknown:
        parse_setting("bsize", "1")
    assert str(unknown.value) == "unknown setting 'bsize' (did you mean 'batch_size'?)"
    assert unknown.value.words("zh") == "没有叫 'bsize' 的设置（是不是想写 'batch_size'？）"


def test_run_summaries_in_both_languages() -> None:
    settings = {"lr": 0.03, "batch_size": 10}
    done = RunRecord(settings, "NumPy", "finished", 300, (1.0,), (0.5, 4.8e-5))
    assert done.summary() == "lr=0.03 batch_size=10: loss 4.8e-05 (2 epochs)"
    assert done.summary("zh") == "lr=0.03 batch_size=10：损失 4.8e-05（2 个周期）"
    diverged = RunRecord({"lr": 5, "batch_size": 10}, "NumPy", "diverged", 4, ())
    assert diverged.summary("zh") == "lr=5 batch_size=10：4 步后发散"


def row_cells(row: list) -> int:
    return sum(cell_len(text) for text, _ in row)


def running_view(lang: str) -> RunView:
    view = RunView(TrainConfig(), phase="running", lang=lang)
    view.initial_loss = 16.7
    view.apply(Progress(2, 150, 300, (1.0,), (2.0, -3.4), 4.2, 1846.0, 0.08))
    view.apply(EpochEnd(1, 0.0351, (2.0, -3.4), 4.2))
    return view


def test_the_chinese_status_line_fits_an_80_column_lesson() -> None:
    view = running_view("zh")
    assert view.status(200).plain == "▶ 训练中  周期 2/3 · 步数 150/300 · 每秒 1,846 步 · 还剩 0.1 秒"
    narrow = view.status(STATUS_WIDTH_AT_80)
    assert narrow.cell_len <= STATUS_WIDTH_AT_80 and "周期 2/3" in narrow.plain
    view.phase = "idle"
    assert view.status(200).plain == "○ 就绪  共 300 步：3 个周期，每个周期 100 个小批量"


def test_chinese_results_columns_line_up_with_the_numbers() -> None:
    """A Chinese character takes two cells: headings are padded by cells, not characters."""
    for wide in (True, False):
        english = results_rows(running_view("en"), wide)
        rows = results_rows(running_view("zh"), wide)
        assert list(map(row_cells, rows)) == list(map(row_cells, english))
    heading = "".join(text for text, _ in rows[0])
    assert heading.endswith("学到的    真实值    解析解")


def test_fixed_settings_and_engine_names_in_chinese() -> None:
    config = TrainConfig(editable=("lr",))
    assert fixed_settings(config) == [
        "impl scratch", "3 epochs", "1000 examples", "batch size 10", "noise 0.01",
        "true w [2, -3.4]", "true b 4.2", "seed 0",
    ]
    assert fixed_settings(config, "zh")[1:4] == ["3 个周期", "1000 个样本", "批量大小 10"]
    assert engine_name("MXNet nd, from scratch", "zh") == "MXNet nd，从零实现"
    assert engine_name("MXNet nd, from scratch", "en") == "MXNet nd, from scratch"
    assert engine_name("MXNet Gluon", "zh") == "MXNet Gluon"  # a name, the same in every language
