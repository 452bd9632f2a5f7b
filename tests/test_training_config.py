"""Training settings: what a learner may type, and what a lesson's train directive may say."""

from __future__ import annotations

import re

import pytest

from d2l_tui.training.config import SettingError, TrainConfig, format_setting, parse_setting

LR_MESSAGE = r"learning rate must be a number from 1e-30 to 1e\+06, e.g. 0.03"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("lr", " 0.03 ", 0.03),
        ("lr", "３e-2", 0.03),  # full-width digit from a Chinese IME
        ("batch_size", "10", 10),
        ("examples", "1e3", 1000),
        ("epochs", "5.0", 5),
        ("noise", "0", 0.0),
        ("true_w", "2, -3.4", (2.0, -3.4)),
        ("true_w", "[2，-3.4]", (2.0, -3.4)),
        ("true_b", "-1", -1.0),
        ("impl", "Gluon", "gluon"),
        ("seed", "42", 42),
    ],
)
def test_parse_setting_accepts_what_learners_type(name: str, text: str, expected: object) -> None:
    assert parse_setting(name, text) == expected


@pytest.mark.parametrize("text", ["abc", "", "0", "-0.1", "nan", "inf", "1e-320", "1e-45", "1e308", "2e6"])
def test_bad_learning_rate_says_what_is_expected(text: str) -> None:
    with pytest.raises(SettingError, match=LR_MESSAGE):
        parse_setting("lr", text)


@pytest.mark.parametrize("text", ["1.5", "0", "ten", "-3"])
def test_bad_batch_size_says_what_is_expected(text: str) -> None:
    with pytest.raises(SettingError, match="batch size must be a whole number between 1 and"):
        parse_setting("batch_size", text)


def test_batch_size_is_checked_against_the_number_of_examples() -> None:
    config = TrainConfig(examples=100)
    assert parse_setting("batch_size", "100", config) == 100
    with pytest.raises(SettingError, match=r"number of examples \(100\)"):
        parse_setting("batch_size", "101", config)
    with pytest.raises(SettingError, match="number of examples"):
        config.with_setting("examples", "5")  # batch_size 10 would no longer fit


def test_other_bad_values_are_rejected() -> None:
    for name, text in [
        ("impl", "torch"),
        ("true_w", ""),
        ("true_w", "1 2 x"),
        ("noise", "-1"),
        ("seed", "-1"),
        ("epochs", "0"),
        ("examples", "2e6"),
        ("epochs", "1e9"),
        ("epochs", "10**9"),
        ("true_b", "1e308"),
        ("true_w", "2, 1e308"),
        ("noise", "inf"),
        ("batch_size", "1e300"),
    ]:
        with pytest.raises(SettingError):
            parse_setting(name, text)


def test_unknown_setting_suggests_the_close_name() -> None:
    with pytest.raises(SettingError, match="did you mean 'batch_size'"):
        parse_setting("batchsize", "10")


def test_with_setting_returns_a_new_config() -> None:
    config = TrainConfig()
    changed = config.with_setting("lr", "0.1")
    assert (config.lr, changed.lr) == (0.03, 0.1)
    assert format_setting(changed.true_w) == "2, -3.4" and format_setting(changed.lr) == "0.1"


def test_from_mapping_reads_a_valid_directive() -> None:
    body = {
        "id": "lr-panel",
        "title": "SGD",
        "model": "linear-regression",
        "impl": "gluon",
        "lr": 0.1,
        "batch_size": 20,
        "true_w": [1, 2, 3],
        "seed": 7,
        "noise": "1e-3",
        "editable": ["lr", "batch_size"],
    }
    config, problems = TrainConfig.from_mapping(body)
    assert problems == []
    assert (config.impl, config.lr, config.batch_size, config.seed) == ("gluon", 0.1, 20, 7)
    assert config.true_w == (1.0, 2.0, 3.0) and config.noise == 0.001
    assert config.editable == ("lr", "batch_size")


def test_from_mapping_reports_every_problem_and_keeps_defaults() -> None:
    body = {
        "batchsize": 10,
        "lr": "fast",
        "epochs": True,
        "examples": 50,
        "batch_size": 60,
        "editable": ["lr", "speed"],
        "impl": "torch",
    }
    config, problems = TrainConfig.from_mapping(body)
    by_key = {p.key: p.message for p in problems}
    assert "did you mean 'batch_size'" in by_key["batchsize"]
    assert re.fullmatch(LR_MESSAGE + r" \(MXNet computes in float32\)", by_key["lr"])
    assert "epochs must be a whole number" in by_key["epochs"]
    assert "unknown setting 'speed'" in by_key["editable"]
    assert "impl must be one of" in by_key["impl"]
    assert "number of examples (50)" in by_key["batch_size"]
    assert str(problems[0]).startswith("batchsize: unknown setting")
    assert (config.lr, config.epochs, config.impl, config.editable) == (0.03, 3, "scratch", ("lr",))
    assert config.batch_size <= config.examples == 50


def test_from_mapping_rejects_editable_that_is_not_a_list() -> None:
    _, problems = TrainConfig.from_mapping({"editable": "lr"})
    assert [p.key for p in problems] == ["editable"]


def test_training_package_imports_neither_textual_nor_mxnet() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, d2l_tui.training as t\n"
        "for m in pkgutil.iter_modules(t.__path__): importlib.import_module(f'{t.__name__}.{m.name}')\n"
        "from d2l_tui.training import TrainConfig, run, RunControl, Progress\n"
        "print(sorted(n for n in ('textual', 'mxnet') if n in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_package_exports_match_the_lazy_table() -> None:
    from d2l_tui import training

    assert sorted(training.__all__) == sorted(training._WHERE)
    assert training.RunControl.__name__ == "RunControl"


def test_a_run_of_too_many_steps_is_refused_in_words() -> None:
    config = TrainConfig(examples=1_000_000, batch_size=1)
    with pytest.raises(SettingError, match=r"that is 100,000,000 steps .* at most 10,000,000") as caught:
        config.with_setting("epochs", "100")
    assert "步" in caught.value.words("zh") and "steps" not in caught.value.words("zh")
    assert config.with_setting("epochs", "10").epochs == 10


def test_the_smallest_and_largest_learning_rates_mxnet_takes_are_accepted() -> None:
    assert parse_setting("lr", "1e-30") == 1e-30 and parse_setting("lr", "1e6") == 1e6


def test_settings_taken_together_are_checked_together() -> None:
    """2 examples with a batch of 2 is one valid run, although 2 examples beside a batch of 10 is not."""
    config, _ = TrainConfig.from_mapping({"model": "poly", "examples": 100, "batch_size": 10})
    with pytest.raises(SettingError):
        config.with_setting("examples", "2")
    both = config.with_settings({"examples": "2", "batch_size": "2"})
    assert (both.examples, both.batch_size) == (2, 2)
    with pytest.raises(SettingError):
        config.with_settings({"examples": "2"})
