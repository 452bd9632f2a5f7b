"""A training panel's run list: each line names the panel's editable settings and the final test loss,
and only a run whose curve the chart really draws is marked as the faint one (real MXNet runs)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.cells import cell_len
from test_classify_panel_overfit_app import new_app, run_panel
from test_training_panel import COURSE as TRAIN_COURSE
from test_training_panel import type_setting, until

from d2l_tui.training.history import RunRecord
from d2l_tui.training.saved import RUNS_FILE, SavedRuns, record_from_json, record_to_json
from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.classify_overfit_panel import OverfitPanel
from d2l_tui.ui.widgets.loss_chart import LossChart
from d2l_tui.ui.widgets.run_list import RunList
from d2l_tui.ui.widgets.training_panel import TrainingPanel

HIGH_DIM = {"model": "high-dim", "impl": "scratch", "lr": 0.003, "batch_size": 1, "epochs": 10,
            "examples": 20, "weight_decay": 0.0, "noise": 0.01, "seed": 0}
OLD_RUN = {  # a run saved before runs kept their test loss: no "test_loss", no "test_acc"
    "settings": {**HIGH_DIM, "weight_decay": 3.0}, "engine": "MXNet nd, from scratch",
    "outcome": "finished", "steps": 200, "curve": [5.0, 1.0, 0.5], "epoch_losses": [0.7, 0.25],
    "w": [], "b": None, "message": "",
}


def lines_of(panel: TrainingPanel) -> list[str]:
    """The run list as drawn, line by line (its title first)."""
    return str(panel.query_one(RunList).render()).splitlines()


def entries_of(panel: TrainingPanel) -> list[str]:
    """Each run's whole entry, mark included, however it wraps."""
    return [(line + mark).plain for line, mark in panel.query_one(RunList).entries]


def test_a_line_names_the_given_settings_and_the_test_loss() -> None:
    run = RunRecord({"lr": 0.5, "epochs": 3}, "", "finished", 9, (1.0,), (0.4, 0.3), test_loss=0.35)
    assert run.summary() == "lr=0.5 batch_size=None: train loss 0.3, test loss 0.35 (2 epochs)"
    assert run.summary("zh", "学习率 lr=0.5", epochs=False) == "学习率 lr=0.5：训练损失 0.3，测试损失 0.35"
    classified = RunRecord({}, "", "finished", 9, (), (0.4,), test_loss=0.5, test_acc=0.912)
    assert classified.summary("en", "") == "train loss 0.4, test loss 0.5, test acc 91.2% (1 epochs)"
    back = record_from_json(json.loads(json.dumps(record_to_json(classified))))
    assert (back.test_loss, back.test_acc) == (0.5, 0.912)
    old = record_from_json(OLD_RUN)
    assert old.test_loss is None and old.summary("en", "weight_decay=3", epochs=False) == (
        "weight_decay=3: loss 0.25"
    )


async def test_lambda_runs_read_differently_and_no_faint_mark_without_a_faint_curve(
    isolated_data_dir: Path,
) -> None:
    """The learner's walkthrough: λ = 0 then λ = 3 on weight-decay's panel, then a restart in Chinese."""
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await run_panel(pilot, app, 1)
        await type_setting(pilot, panel, "weight_decay", "3")
        panel = await run_panel(pilot, app, 1)
        first, second = panel.history
        assert first.test_loss is not None and second.test_loss is not None
        now, before = entries_of(panel)
        assert now.startswith(f"1. weight_decay=3: train loss {second.epoch_losses[-1]:.3g}, ")
        assert f"test loss {second.test_loss:.3g}" in now and now.endswith("← this run (the bright curve)")
        assert before.startswith("2. weight_decay=0: train loss ")
        assert f"test loss {first.test_loss:.3g}" in before
        # The loss pair chart draws no earlier run: no line may point at a faint curve.
        assert "faint" not in before and panel.drawn_ghost() is None
        assert lines_of(panel)[1:] == ["  " + now[: now.index("  ←")], "     ← this run (the bright curve)",
                                       "  " + before]

    again = new_app(isolated_data_dir, "zh")
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(again.screen.query(OverfitPanel)) == 2, what="panels")
        panel = list(again.screen.query(OverfitPanel))[1]
        await until(pilot, lambda: len(entries_of(panel)) == 2, what="the saved runs")
        text = "\n".join(entries_of(panel))
        assert "1. 权重衰减 weight_decay=3：训练损失" in text and "测试损失" in text
        assert "浅色曲线" not in text and "test" not in text


async def test_a_run_saved_before_test_losses_were_kept_still_shows(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True)
    panels = {"overfit/high-dim": {"saved": 1.0, "runs": [OLD_RUN]}}
    (isolated_data_dir / RUNS_FILE).write_text(json.dumps({"version": 1, "panels": panels}), "utf-8")
    assert SavedRuns(isolated_data_dir).runs("overfit/high-dim", 5)
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(app.screen.query(OverfitPanel)) == 2, what="panels")
        panel = list(app.screen.query(OverfitPanel))[1]
        await until(pilot, lambda: len(lines_of(panel)) > 1, what="the saved run")
        assert lines_of(panel)[1:] == ["  1. weight_decay=3: loss 0.25"]


async def chart_and_list_after_restart(data_dir: Path, latest: RunRecord) -> tuple[bool, str]:
    """With `latest` saved, open the linear-regression panel in Chinese: is a faint curve drawn, and its run list."""
    SavedRuns(data_dir).save("train/linreg-scratch", [latest], limit=5)
    app = make_app(lessons_dir=TRAIN_COURSE, data_dir=data_dir, lang="zh", open_lesson="train")
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: app.screen.query("#train-linreg-scratch"), what="the panel")
        panel = app.screen.query_one("#train-linreg-scratch", TrainingPanel)
        await until(pilot, lambda: len(lines_of(panel)) > 1, what="the saved run")
        await pilot.pause()
        return bool(panel.query_one(LossChart).ghost), "\n".join(entries_of(panel))


async def test_the_faint_mark_follows_the_curve_the_loss_chart_draws(isolated_data_dir: Path) -> None:
    """Linear regression draws the latest run faintly, after a restart too; a run with no curve is not."""
    no_curve = RunRecord(
        {"lr": 0.05, "batch_size": 10, "epochs": 3}, "", "finished", 300, (), (0.1, 0.01, 0.001)
    )
    drawn, text = await chart_and_list_after_restart(isolated_data_dir, no_curve)
    assert not drawn and "浅色曲线" not in text and "学习率 lr=0.05，批量大小 batch_size=10" in text
    curve = RunRecord({"lr": 0.01, "batch_size": 10, "epochs": 3}, "", "finished", 300, (5.0, 1.0), (0.1,))
    drawn, text = await chart_and_list_after_restart(isolated_data_dir, curve)
    assert drawn and "1. 学习率 lr=0.01，批量大小 batch_size=10，周期数 epochs=3：损失 0.1  ← 浅色曲线" in text


async def test_a_long_line_wraps_under_its_own_text_at_60_columns(isolated_data_dir: Path) -> None:
    runs = [RunRecord({"lr": 0.03, "batch_size": 10, "epochs": 3}, "", "finished", 300, (5.0, 1.0),
                      (0.1, 0.01, 4.8e-05))]
    SavedRuns(isolated_data_dir).save("train/linreg-scratch", runs * 2, limit=5)
    app = make_app(lessons_dir=TRAIN_COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="train")
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: app.screen.query("#train-linreg-scratch"), what="the panel")
        panel = app.screen.query_one("#train-linreg-scratch", TrainingPanel)
        run_list = panel.query_one(RunList)
        await until(pilot, lambda: len(lines_of(panel)) > 3, what="the wrapped runs")
        lines = lines_of(panel)
        assert all(cell_len(line) <= run_list.size.width for line in lines), lines
        assert lines[1].startswith("  1. 学习率 lr=0.03，") and lines[2].startswith("     ")
        assert "".join(line.strip() for line in lines[1:4]).count("损失 4.8e-05") == 1
