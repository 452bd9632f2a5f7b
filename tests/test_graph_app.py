"""The graph panel in the real app: stepping by keys, predictions typed into it, Chinese words, narrow terminals."""

from __future__ import annotations

import re
from pathlib import Path

from d2l_tui.ui.app import make_app
from d2l_tui.ui.widgets.graph_panel import GraphPanel
from test_app import settle

COURSE = Path(__file__).parent / "fixtures" / "graph_course"


async def panels(pilot, app) -> list[GraphPanel]:
    """The lesson's graph panels once their numbers are in."""
    await settle(pilot, app)
    found = list(app.screen.query(GraphPanel))
    for _ in range(600):  # 30 s at most
        if all(p.stepper.numbers is not None for p in found):
            return found
        await pilot.pause(0.05)
    raise AssertionError("the graph panels never got their numbers")


async def test_stepping_forward_and_backward_by_keys(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    async with app.run_test(size=(100, 40)) as pilot:
        first, _ = await panels(pilot, app)
        assert first.stepper.numbers is not None and first.stepper.numbers.source == "mxnet"
        first.focus()
        await pilot.press("right", "l")
        drawn = str(first.render())
        assert first.stepper.at == 2 and "Forward 2/2: (x + y)·z = -12" in drawn and "∂" not in drawn
        await pilot.press("right", "right")
        drawn = str(first.render())
        assert "multiply swaps the inputs" in drawn and "∂ 3" in drawn and "∂ -4" in drawn
        assert "MXNet's autograd" in drawn
        await pilot.press("left", "h")
        assert first.stepper.at == 2
        await pilot.press("b")
        drawn = str(first.render())
        assert first.stepper.at == 5 and "add hands the gradient on unchanged" in drawn
        assert drawn.count("∂ -4") == 3  # x, y and x + y
        await pilot.press("f")
        assert first.stepper.at == 2
        await pilot.press("r")
        assert first.stepper.at == 0 and "Inputs: x = -2, y = 5, z = -4" in str(first.render())


async def test_a_prediction_is_typed_into_the_panel_and_graded(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    async with app.run_test(size=(100, 40)) as pilot:
        _, neuron = await panels(pilot, app)
        neuron.focus()
        await pilot.press("f", "right", "right")
        drawn = str(neuron.render())
        assert "Predict: what gradient does w·x + b get back" in drawn and "?▶" in drawn
        await pilot.press("0", ".", "5", "enter")
        assert "Not 0.5" in str(neuron.render()) and neuron.stepper.at == 4
        # Esc belongs to the prediction here, not to the lesson (it would go back to the map).
        await pilot.press("0", ".", "2", "escape")
        assert app.screen.query(GraphPanel) and neuron.stepper.at == 5
        assert "It is 0.1966" in str(neuron.render())
        await pilot.press("right", "0", ".", "1", "9", "7", "enter")
        assert neuron.stepper.at == 6 and "Right: w·x gets 0.1966" in str(neuron.render())


async def test_chinese_panel_has_no_english_words(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="graphs")
    async with app.run_test(size=(100, 40)) as pilot:
        _, neuron = await panels(pilot, app)
        neuron.focus()
        texts = []
        for key in ("right", "right", "right", "right", "right"):
            await pilot.press(key)
            texts.append(str(neuron.render()))
        await pilot.press("escape", "b")
        texts.append(str(neuron.render()))
        words = set(re.findall(r"[A-Za-z]{2,}", "\n".join(texts)))
        # Function names and the library's name are the math and the tool, not English prose.
        assert words <= {"sigmoid", "MXNet", "Python", "Enter", "Esc", "exp", "log", "tanh", "ReLU"}, words
        assert "乘法交换输入" in texts[-1] and "先预测" in texts[-2]


async def test_narrow_terminals_draw_compactly_or_list_the_boxes(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    async with app.run_test(size=(80, 24)) as pilot:
        _, neuron = await panels(pilot, app)
        neuron.focus()
        await pilot.press("b")
        drawn = str(neuron.render())
        assert "┌" in drawn and "0.731" in drawn and "too narrow" not in drawn
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert "0.731" in str(neuron.render())
        await pilot.resize_terminal(44, 20)
        await pilot.pause()
        drawn = str(neuron.render())
        assert "too narrow to draw" in drawn and "sigmoid(w·x + b) = 0.731" in drawn
        await pilot.press("left", "r", "right")
        assert neuron.stepper.at == 1


async def test_without_mxnet_the_rules_compute_and_the_panel_says_so(isolated_data_dir: Path, monkeypatch) -> None:
    from d2l_tui import mxnet_env

    def missing():
        raise mxnet_env.MXNetUnavailable("MXNet is not installed (No module named 'mxnet').", "pip install mxnet==1.9.1")

    monkeypatch.setattr(mxnet_env, "load_mxnet", missing)
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="zh", open_lesson="graphs")
    async with app.run_test(size=(100, 40)) as pilot:
        first, _ = await panels(pilot, app)
        first.focus()
        await pilot.press("b")
        drawn = str(first.render())
        assert first.stepper.numbers is not None and first.stepper.numbers.source == "python"
        assert "按规则用纯 Python 算的" in drawn and "pip install mxnet==1.9.1" in drawn
        assert "∂ 3" in drawn and drawn.count("∂ -4") == 3


async def test_the_place_and_predictions_survive_leaving_and_a_language_switch(isolated_data_dir: Path) -> None:
    app = make_app(lessons_dir=COURSE, data_dir=isolated_data_dir, lang="en", open_lesson="graphs")
    async with app.run_test(size=(100, 40)) as pilot:
        _, neuron = await panels(pilot, app)
        neuron.focus()
        await pilot.press("f", "right", "right", "escape", "right", "0", ".", "3")
        assert neuron.stepper.at == 5 and neuron.stepper.question is not None
        await pilot.press("l")  # a step forward keeps the question and what was typed
        assert neuron.stepper.question is not None and neuron.stepper.question.typed == "0.3"
        app.action_switch_language()  # on the panel l steps, so switch from the app
        _, again = await panels(pilot, app)
        assert again is not neuron and again.stepper.at == 5 and again.stepper.question.typed == "0.3"
        drawn = str(again.render())
        assert "先预测" in drawn and "你的预测：0.3" in drawn
        await pilot.pause()
        again.focus()
        await pilot.press("left")  # back withdraws the question, then steps back
        assert again.stepper.question is None and again.stepper.at == 5
        await pilot.press("left")
        assert again.stepper.at == 4
