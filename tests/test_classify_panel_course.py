"""The chapter-3 lessons' panels as a learner meets them (they came from softmax-preview, keeping
their ids): the digits gallery, softmax, MLP and poly panels training real MXNet, the poly panel
drawing its fitted curve, and the predictions they grade."""

from __future__ import annotations

from pathlib import Path

from test_app import settle
from test_classify_panel import text_of
from test_predict_app import cards, commit, said, wait_for_run
from test_training_panel import until

from d2l_tui.datasets import load_digits
from d2l_tui.ui.app import TutorApp, make_app
from d2l_tui.ui.screens.lesson import LessonScreen
from d2l_tui.ui.widgets.classify_gallery import GalleryBlock
from d2l_tui.ui.widgets.classify_overfit import PolyFitPlot
from d2l_tui.ui.widgets.classify_overfit_panel import OverfitPanel
from d2l_tui.ui.widgets.classify_panel import TRAIN_IMAGES, ClassifyPanel
from d2l_tui.ui.widgets.image_view import Gallery
from d2l_tui.ui.widgets.training_parts import StatusLine

GALLERY = ("image-classification-data", "softmax-preview-gallery")
DIGITS = ("softmax-regression-scratch", "softmax-preview-digits")
MLP = ("mlp-scratch", "softmax-preview-mlp")
POLY = ("underfit-overfit", "softmax-preview-poly")


async def back_to(pilot, app: TutorApp, panel: ClassifyPanel) -> None:
    """Shift+Tab back from the card to the panel above it, as the card tells the learner."""
    for _ in range(10):
        if app.focused is panel:
            return
        await pilot.press("shift+tab")
    raise AssertionError(f"Shift+Tab never reached {panel}; focus is on {app.focused}")


def panel_of(app: TutorApp, key: str) -> ClassifyPanel:
    return next(p for p in app.screen.query(ClassifyPanel) if p.key == key)


async def opened(pilot, app: TutorApp, lesson_id: str) -> LessonScreen:
    """Open a lesson (as `n` or the map would) with every block mounted."""
    if not (isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson_id):
        assert app.open_lesson(lesson_id)
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson_id
    await screen.mount_all_now()
    await settle(pilot, app)
    return screen


async def test_the_lessons_show_digits_and_the_three_panels(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson=GALLERY[0])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app, GALLERY[0])
        block = next(b for b in screen.query(GalleryBlock) if b.block.data.get("id") == GALLERY[1])
        gallery = block.query_one(Gallery)
        await until(pilot, lambda: bool(gallery.pictures), what="the gallery")
        labels = [p.label for p in gallery.pictures]
        assert labels == [str(int(y)) for y in load_digits().train_y[:10]]
        for (lesson_id, key), model in ((DIGITS, "softmax"), (MLP, "mlp"), (POLY, "poly")):
            await opened(pilot, app, lesson_id)
            assert panel_of(app, key).config.model == model
        assert isinstance(panel_of(app, POLY[1]), OverfitPanel)
        await opened(pilot, app, DIGITS[0])
        # Before a run the plan counts the 1,438 training digits (it counted linear regression's 1,000).
        status = text_of(panel_of(app, DIGITS[1]).query_one(StatusLine))
        assert "225 steps: 5 epochs of 45 minibatches" in status, status
        assert TRAIN_IMAGES["digits"] == len(load_digits().train_y)


async def test_a_slow_learning_rate_still_classifies_most_digits(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="zh", open_lesson=DIGITS[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app, DIGITS[0])
        await until(pilot, lambda: app.mxnet_ready, what="MXNet")
        card, panel = cards(app)["softmax-preview-digits-slow-lr"], panel_of(app, DIGITS[1])
        await commit(pilot, app, card, 0)  # "above 80%", as the explanation says
        assert panel.config.lr == 0.01 and panel.config.epochs == 5
        await back_to(pilot, app, panel)
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert 0.8 < panel.state.test_acc[-1] < 0.95  # right, yet well below lr 0.5's run
        assert card.grade is not None and card.grade.outcome == "right", said(card)


async def test_a_straight_line_underfits_and_its_fit_is_drawn(isolated_data_dir: Path) -> None:
    app = make_app(data_dir=isolated_data_dir, lang="en", open_lesson=POLY[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app, POLY[0])
        await until(pilot, lambda: app.mxnet_ready, what="MXNet")
        card, panel = cards(app)["softmax-preview-poly-line"], panel_of(app, POLY[1])
        await commit(pilot, app, card, 1)  # "No, 1 or above"
        assert panel.config.degree == 1
        await back_to(pilot, app, panel)
        await pilot.press("s")
        await wait_for_run(pilot, panel, 0)
        assert panel.state.measures[-1].train_loss > 10  # the explanation's "about 41"
        assert card.grade is not None and card.grade.outcome == "right", said(card)
        fit = panel.query_one(PolyFitPlot)
        assert len(fit.fitted) == 2 and fit.fitted == panel.state.measures[-1].coefficients
