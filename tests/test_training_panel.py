"""The `train` panel in the real app, training real MXNet: runs, keys, settings, doctor, quit.

Keys go in through the driver without Pilot's press(), which waits for an idle CPU (about 2 s
per key while the trainer thread runs); every wait is a polling loop with a deadline.
"""

from __future__ import annotations

import math
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events

from d2l_tui.course.check import collect_lessons
from d2l_tui.mxnet_env import MXNetUnavailable
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.screens.confirm import ConfirmScreen
from d2l_tui.ui.widgets.loss_chart import LossChart
from d2l_tui.ui.widgets.training_panel import TrainingPanel
from d2l_tui.ui.widgets.training_settings import SettingField

COURSE = Path(__file__).parent / "fixtures" / "train_course"
SCRATCH, GLUON = "#train-linreg-scratch", "#train-linreg-gluon"
SIZE = (100, 30)


def send_key(app: TutorApp, key: str, char: str | None = None) -> float:
    """Press a key the way the terminal driver does; return when it was sent."""
    sent = time.monotonic()
    app._driver.send_message(
        events.Key(key, char if char is not None else (key if len(key) == 1 else None))
    )  # type: ignore[union-attr]
    return sent


async def until(
    pilot, condition: Callable[[], object], timeout: float = 30.0, what: str = ""
) -> None:
    """Poll `condition` until it holds, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await pilot.pause(0.05)


async def open_panel(pilot, app: TutorApp, selector: str = SCRATCH) -> TrainingPanel:
    """Wait for the lesson (and MXNet) to load; focus the panel and scroll it into view."""
    await until(
        pilot, lambda: app.mxnet_ready and list(app.screen.query(selector)), what="lesson and MXNet"
    )
    panel = app.screen.query_one(selector, TrainingPanel)
    panel.focus()
    app.screen.query_one("#content").scroll_to_widget(panel, animate=False, top=True)
    await pilot.pause()
    return panel


async def type_setting(pilot, panel: TrainingPanel, name: str, text: str) -> SettingField:
    """Type a new value into a setting's input (replacing the old one); then focus the panel."""
    field = next(f for f in panel.query(SettingField) if f.setting == name)
    field.input.focus()
    await pilot.press("home", "ctrl+k", *text)
    panel.focus()
    await pilot.pause()
    return field


async def type_while_training(
    pilot, app: TutorApp, panel: TrainingPanel, name: str, text: str
) -> SettingField:
    """Type into a setting through the driver while the trainer runs, then Esc to the panel."""
    field = next(f for f in panel.query(SettingField) if f.setting == name)
    field.input.focus()
    await pilot.pause(0.05)
    # Editing keys act through bindings, later than typed characters: let them finish first.
    send_key(app, "home")
    send_key(app, "ctrl+k")
    await until(pilot, lambda: field.input.value == "", what="the field cleared")
    for key in text:
        send_key(app, key)
    await until(pilot, lambda: field.input.value == text, what=f"{text!r} typed")
    await pilot.pause(0.1)
    send_key(app, "escape")
    await until(pilot, lambda: app.focused is panel, what="focus back on the panel")
    return field


def new_app(data_dir: Path) -> TutorApp:
    return make_app(lessons_dir=COURSE, data_dir=data_dir, lang="en", open_lesson="train")


def ended(panel: TrainingPanel) -> bool:
    return panel.view.phase in ("finished", "diverged", "stopped", "failed")


async def test_a_run_finishes_with_the_loss_and_learned_parameters_shown(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = await open_panel(pilot, app)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        view = panel.view
        assert view.phase == "finished", view.message
        assert len(view.epoch_losses) == 3 and view.epoch_losses[-1] < 1e-3 < view.initial_loss
        assert view.engine == "MXNet nd, from scratch" and panel.border_subtitle == view.engine
        assert view.w is not None and view.b is not None and view.closed_form is not None
        assert (
            all(abs(w - t) < 0.01 for w, t in zip(view.w, (2.0, -3.4), strict=True))
            and abs(view.b - 4.2) < 0.01
        )
        results = "\n".join(
            strip.text
            for strip in map(panel._results.render_line, range(panel._results.size.height))
        )
        assert f"{view.w[1]:.4f}" in results and f"{view.closed_form.b:.4f}" in results
        assert f"{view.epoch_losses[-1]:.3g}" in results
        status = str(panel._status.render())
        assert "finished" in status and "300/300" in status
        chart = panel.query_one(LossChart)
        assert (
            chart.curve
            and not chart.ghost
            and "300 steps" in chart.render_line(chart.size.height - 1).text
        )


async def test_the_gluon_panel_trains_with_gluon(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app, GLUON)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the gluon run to end")
        assert panel.view.phase == "finished", panel.view.message
        assert "Gluon" in panel.view.engine and len(panel.view.epoch_losses) == 2
        assert panel.view.epoch_losses[-1] < panel.view.epoch_losses[0] < panel.view.initial_loss  # type: ignore[operator]


async def test_pause_resume_and_one_step_while_paused(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "epochs", "500")
        send_key(app, "s")
        await until(pilot, lambda: panel.view.step > 50, what="training to get going")
        send_key(app, "space", " ")
        await until(pilot, lambda: panel.view.phase == "paused")
        # The run stops stepping: the count settles.
        settled = -1
        while settled != panel.view.step:
            settled = panel.view.step
            await pilot.pause(0.3)
        send_key(app, "full_stop", ".")
        await until(pilot, lambda: panel.view.step == settled + 1, what="one step")
        await pilot.pause(0.3)
        assert panel.view.step == settled + 1 and panel.view.phase == "paused"
        send_key(app, "space", " ")
        await until(pilot, lambda: panel.view.step > settled + 20, what="resumed training")
        assert panel.view.phase == "running"
        # The UI stays usable while it trains: a setting can be typed and is checked at once.
        field = await type_while_training(pilot, app, panel, "lr", "fast")
        assert (
            field.has_class("-invalid") and "learning rate must be a number from 1e-30 to 1e+06" in field.note
        )
        send_key(app, "x")
        await until(pilot, lambda: ended(panel), what="the stop")
        assert panel.view.phase == "stopped"


async def test_stop_ends_the_worker_mid_run(isolated_data_dir: Path) -> None:
    """x stops the worker mid-run, near the step it was at; the time it took is printed, not asserted
    (on two loaded cores it ranged from 0.1 to 0.95 s)."""
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "epochs", "500")
        send_key(app, "s")
        await until(pilot, lambda: panel.view.step > 100, what="training to get going")
        worker = panel.worker
        assert worker is not None and worker.is_running
        pressed = send_key(app, "x")
        while not worker.is_finished:
            assert time.monotonic() - pressed < 10, "the worker did not stop"
            await pilot.pause(0.01)
        print(f"stop: key to worker end {(time.monotonic() - pressed) * 1000:.0f} ms")
        await until(pilot, lambda: panel.view.phase == "stopped")
        assert 100 < panel.view.step < panel.view.total_steps // 10  # 500 epochs: it stopped near where it was


async def test_a_bad_value_is_explained_and_not_used_a_good_one_is_used_next_run(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        field = await type_setting(pilot, panel, "lr", "-1")
        assert field.has_class("-invalid")
        assert (
            "learning rate must be a number from 1e-30 to 1e+06" in field.note
            and "still using 0.03" in field.note
        )
        batch = await type_setting(pilot, panel, "batch_size", "5000")
        assert batch.has_class("-invalid") and "number of examples (1000)" in batch.note
        assert panel.config.lr == 0.03 and panel.config.batch_size == 10
        await type_setting(pilot, panel, "batch_size", "100")  # the plan follows before any run
        await pilot.pause()
        assert "steps: 3 epochs of 10 minibatches" in str(panel.view.status(200))
        await type_setting(pilot, panel, "batch_size", "10")
        await pilot.pause()
        assert "300 steps: 3 epochs of 100 minibatches" in str(panel.view.status(200))
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the first run")
        assert panel.view.record is not None and panel.view.record.settings["lr"] == 0.03
        field = await type_setting(pilot, panel, "lr", "0.1")
        assert (
            not field.has_class("-invalid")
            and "the lesson's: 0.03" in field.note
            and panel.config.lr == 0.1
        )
        send_key(app, "s")
        await until(
            pilot,
            lambda: panel.view.phase == "finished" and panel.view.config.lr == 0.1,
            what="the second run",
        )
        assert panel.view.record is not None and panel.view.record.settings["lr"] == 0.1


async def test_a_large_learning_rate_diverges_in_words_and_reset_brings_back_the_lesson(
    isolated_data_dir: Path,
) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "lr", "5")
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the doctor to stop the run")
        assert panel.view.phase == "diverged"
        note = panel.query_one(".train-message")
        text = str(note.render())
        assert note.has_class("-shown") and note.display
        assert (
            "diverged at step" in text and "the learning rate is probably too large (lr=5)" in text
        )
        assert "Press r to reset" in text
        send_key(app, "r")
        await until(pilot, lambda: panel.view.phase == "idle")
        lr = next(f for f in panel.query(SettingField) if f.setting == "lr")
        assert lr.input.value == "0.03" and panel.config.lr == 0.03
        assert not note.has_class("-shown")
        assert panel.query_one(LossChart).ghost, "the diverged run stays as the faint curve"


async def test_a_loss_that_barely_moves_gets_a_hint(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "lr", "0.00001")
        await type_setting(pilot, panel, "epochs", "1")
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the slow run")
        assert panel.view.phase == "finished"
        text = str(panel.query_one(".train-message").render())
        assert "Hint: the loss is barely moving: try a larger learning rate than 1e-05." in text


async def test_the_second_run_shows_the_first_as_a_faint_curve(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        send_key(app, "s")
        await until(pilot, lambda: panel.view.phase == "finished", what="the first run")
        first = panel.view.record
        assert first is not None and not panel.query_one(LossChart).ghost
        await type_setting(pilot, panel, "lr", "0.01")
        send_key(app, "s")
        await until(
            pilot,
            lambda: panel.view.phase == "finished" and panel.view.config.lr == 0.01,
            what="the second run",
        )
        chart = panel.query_one(LossChart)
        assert len(chart.ghost) == len(first.curve) > 10 and chart.ghost_label == "lr=0.03"
        assert chart.curve != chart.ghost
        assert [r.settings["lr"] for r in panel.history] == [0.03, 0.01]
        assert "lr=0.03" in chart.render_line(0).text
        history = str(panel.query_one(".train-history").render())
        assert "1. lr=0.01" in history and "2. lr=0.03" in history


def training_threads() -> list[int]:
    """Threads whose stack is inside the training loop."""
    return [
        ident
        for ident, frame in sys._current_frames().items()
        if any(
            f.filename.endswith(("training/loop.py", "training/session.py"))
            for f in traceback.extract_stack(frame)
        )
    ]


async def test_quitting_mid_run_stops_the_trainer_and_exits(isolated_data_dir: Path) -> None:
    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        await type_setting(pilot, panel, "epochs", "500")
        send_key(app, "s")
        await until(pilot, lambda: panel.view.step > 50, what="training to get going")
        assert app.busy() and training_threads()
        send_key(app, "q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the quit question")
        send_key(app, "y")
        await until(pilot, lambda: app.return_code is not None, what="the app to exit")
    assert app.return_code == 0
    deadline = time.monotonic() + 0.5
    while training_threads():
        assert time.monotonic() < deadline, "the training thread still runs after quitting"
        time.sleep(0.01)


async def test_without_mxnet_the_panel_says_why_and_trains_with_numpy(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable() -> None:
        raise MXNetUnavailable("no wheel for this machine.", "pip install mxnet==1.9.1")

    app = new_app(isolated_data_dir)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        monkeypatch.setattr("d2l_tui.mxnet_env.load_mxnet", unavailable)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the NumPy run")
        assert (
            panel.view.phase == "finished" and panel.border_subtitle == "NumPy (MXNet unavailable)"
        )
        note = str(panel.query_one(".train-message").render())
        assert "MXNet is unavailable: no wheel for this machine." in note and "NumPy engine" in note
        assert "pip install mxnet==1.9.1" in note


def test_check_reports_bad_train_settings_at_their_line(tmp_path: Path) -> None:
    lesson = tmp_path / "en" / "bad.md"
    lesson.parent.mkdir()
    lesson.write_text(
        "---\nid: bad\ntitle: Bad\norder: 1\n---\n\n# Bad\n\n"
        "```train\nimpl: gluon\nlr: -1\nepochs: 2\neditable: [lr, speed]\n```\n",
        encoding="utf-8",
    )
    found = {(p.line, p.message) for lesson in collect_lessons([tmp_path]) for p in lesson.problems}
    assert (11, "learning rate must be a number from 1e-30 to 1e+06, e.g. 0.03 (MXNet computes in float32)") in found
    assert any(line == 13 and "unknown setting 'speed'" in message for line, message in found)


def test_a_million_steps_keep_the_panel_state_small() -> None:
    from d2l_tui.training.config import TrainConfig
    from d2l_tui.training.events import Progress
    from d2l_tui.ui.widgets.training_view import CURVE_POINTS, RunView

    view = RunView(TrainConfig(examples=1000, batch_size=1, epochs=1000), phase="running")
    batch = tuple(1.0 / (1 + i) for i in range(1000))
    for start in range(0, 1_000_000, 1000):
        view.apply(Progress(1, start + 1000, 1_000_000, batch, (2.0, -3.4), 4.2, 1000.0, 1.0))
    points = view.points()
    assert view.curve.count == 1_000_000 and len(points) <= CURVE_POINTS
    assert all(math.isfinite(y) for _, y in points) and points[-1][0] <= 1_000_000


def panel_text(panel: TrainingPanel) -> str:
    """Every line the panel's widgets draw, as the learner reads them."""
    leaves = [w for w in panel.walk_children() if not w.children and w.display]
    return "\n".join(
        w.render_line(y).text for w in leaves for y in range(w.size.height)
    ) + f"\n{panel.border_title}\n{panel.border_subtitle}"


# English words a Chinese panel must not show; setting names (lr, batch_size, epochs) stay.
ENGLISH_WORDS = re.compile(
    r"\b(epoch|steps?|loss|learned|true|exact|floor|finished|diverged|ready|press|Earlier|"
    r"Hint|examples|start|pause|stop|reset|settings|data|before|now|still)\b"
)


async def test_a_chinese_lesson_shows_the_panel_in_chinese(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="train")
    async with app.run_test(size=(80, 30)) as pilot:
        panel = await open_panel(pilot, app)
        assert "○ 就绪  共 300 步" in str(panel._status.render())
        assert "（按 s 开始训练）" in panel_text(panel)
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the run to end")
        await pilot.pause(0.1)
        assert panel.view.phase == "finished", panel.view.message
        text = panel_text(panel)
        assert "✔ 完成  周期 3/3 · 步数 300/300" in text
        assert "学到的" in text and "解析解" in text and "下限" in text and "300 步" in text
        assert "这个面板的训练，最新的在前" in text and "← 本次" in text and "学习率 lr=0.03，批量大小 batch_size=10，" in text
        assert "1000 个样本" in text and "s 开始" in text and "MXNet nd，从零实现" in text
        found = ENGLISH_WORDS.findall(text)
        assert not found, f"English words in a Chinese panel: {found}"


async def test_a_chinese_run_that_diverges_says_so_in_chinese(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="train")
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, app)
        batch = await type_setting(pilot, panel, "batch_size", "x")
        assert "批量大小 batch_size 必须是" in batch.note and "（仍在用 10）" in batch.note
        lr = await type_setting(pilot, panel, "lr", "3")
        assert lr.note == "✔（本课原值：0.03）"
        send_key(app, "s")
        await until(pilot, lambda: ended(panel), what="the doctor to stop the run")
        await pilot.pause(0.1)
        assert panel.view.phase == "diverged"
        note = str(panel.query_one(".train-message").render())
        assert note.startswith("在第 ") and "步发散了：学习率多半太大了（lr=3）。损失" in note
        assert note.endswith("按 r 重置。")
        text = panel_text(panel)
        assert "✘ 发散" in text and "学习率 lr=3，批量大小 batch_size=10，" in text and "步后发散" in text
        found = ENGLISH_WORDS.findall(text)
        assert not found, f"English words in a Chinese panel: {found}"
