"""Code cells, the doctor and device panels, directive cards and search speak the lesson's language."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Static

from d2l_tui.course.model import Block
from d2l_tui.doctor import collect, format_report
from d2l_tui.gpulab import measure as measure_module
from d2l_tui.gpulab.measure import Plan
from d2l_tui.ui.app import make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.widgets.code_cell import CodeCell
from d2l_tui.ui.widgets.device_panel import DevicePanel
from d2l_tui.ui.widgets.directive_card import DirectiveCard
from d2l_tui.ui.widgets.doctor_panel import DoctorPanel

SIZE = (100, 30)
SMALL = Plan(
    (32, 64), (4,), 4, repeats=2, min_sample_s=0.02, overhead_ops=20, train_steps=3,
    train_impls=("scratch",),
)


async def wait_until(pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await pilot.pause(0.02)


def shown(widget: Static) -> str:
    return str(widget.render())


async def open_lesson(pilot, app, lesson_id: str) -> LessonScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
    screen = app.screen
    assert screen.lesson.id == lesson_id
    await screen.mount_all_now()
    await pilot.pause()
    return screen


async def test_chinese_code_cell_hints_runs_and_interruptions(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, app, "environment")
        cell = screen.query_one(CodeCell)
        hint = cell.query_one(".code-hint", Static)
        cell.editor.focus()
        await pilot.pause()
        said = shown(hint)  # the code cells' keys grow (F6 runs the cells above): check each, not the line
        assert said.startswith("Ctrl+R 运行 · Esc 退出编辑") and "F5 还原" in said and "F8 重启内核" in said
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: cell.result is not None and not cell.running)
        assert cell.border_subtitle.startswith("✔ ") and cell.border_subtitle.endswith("秒")
        await pilot.press("f7", *"while True: pass")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: cell.running)
        assert shown(hint) == "Ctrl+C 停止" and "运行中…（按 Ctrl+C 停止）" in cell.output_text
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: not cell.running)
        assert cell.output_text.endswith("已中断：你的变量都还在")
        assert cell.border_subtitle == "⏹ 已中断"


async def test_chinese_doctor_panel_and_search_notices(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="environment")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, app, "environment")
        panel = screen.query_one(DoctorPanel)
        await wait_until(pilot, lambda: panel.findings is not None, timeout=60)
        # The names stay as the lesson's prose calls them; what was found is said in Chinese.
        names = [finding.name for finding in panel.findings]
        assert names == ["Python", "NumPy", "MXNet", "Platform", "CPU", "Cores", "Threads", "GPUs"]
        assert "课程都能在 CPU 上运行" in panel.findings[-1].value or panel.findings[-1].value.isdigit()
        await pilot.press("slash", *"quantum", "enter")
        await wait_until(pilot, lambda: app._notifications)
        assert [notice.message for notice in app._notifications] == ["这一课里没有“quantum”。"]
        assert screen.query_one("SearchBar").placeholder.startswith("在这一课中搜索")
        await pilot.press("escape", "f2")  # close the search, open the scratchpad on this lesson
        await wait_until(pilot, lambda: app.screen.query("#scratchpad-about"))
        about = shown(app.screen.query_one("#scratchpad-about", Static))
        assert about.startswith("草稿本，运行在“") and "Ctrl+C 停止，F8 重启内核，Esc 返回。" in about


def test_doctor_speaks_english_by_default_and_chinese_when_asked() -> None:
    english, chinese = collect(), collect("zh")
    assert format_report(english).endswith("\n\nEverything the course needs is here.")
    assert "Cores" in format_report(english) and "Cores" in format_report(chinese, "zh")
    assert format_report(chinese, "zh").endswith("\n\n课程需要的都有了。")
    assert [f.value for f in english][:3] == [f.value for f in chinese][:3]  # versions stay as they are


def test_directive_card_note_in_chinese() -> None:
    unknown = Block("hologram", 3, {}, "", known=False)
    english = DirectiveCard.describe(unknown)
    chinese = DirectiveCard.describe(unknown, "zh")
    assert "does not know" in english.renderables[-1].plain
    assert chinese.renderables[-1].plain == "这一课用了“hologram”块，这个版本的 d2l-tui 还不认识它。"


async def test_chinese_device_panel_measures_and_explains(monkeypatch, isolated_data_dir: Path) -> None:
    monkeypatch.setattr(measure_module, "QUICK_PLAN", SMALL)
    monkeypatch.setattr(measure_module, "FULL_PLAN", SMALL)
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson="gpu")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, app, "gpu")
        panel = screen.query_one(DevicePanel)
        await wait_until(pilot, lambda: panel.found is not None)
        assert shown(panel.query_one(".device-keys", Static)).startswith("m 用 MXNet 测量（")
        assert shown(panel.query_one(".device-status", Static)).startswith("按 m 测量")
        assert shown(panel.query_one("#device-section-detect", Static)).startswith("本机\n")
        panel.focus()
        await pilot.press("m")
        await wait_until(pilot, lambda: panel.measured is not None)
        await pilot.pause()
        assert shown(panel.query_one(".device-status", Static)).startswith("用时 ")
        roofline = shown(panel.query_one("#device-section-roofline", Static))
        assert "双对数坐标" in roofline and "受" in roofline and "bound" not in roofline
