"""A training panel's settings: an input per editable setting, checked as the learner types."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalGroup
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from d2l_tui.training.config import SettingError, TrainConfig, format_setting, parse_setting
from d2l_tui.ui.widgets.training_words import labels, setting_names


class SettingInput(Input):
    """A one-line input for one setting; Escape hands the keys back to the panel."""

    BINDINGS = [Binding("escape", "leave", "Back to the panel", id="train-setting-leave")]

    def action_leave(self) -> None:
        """Give focus back to the training panel, whose keys then work again."""
        panel = next((node for node in self.ancestors if isinstance(node, Widget) and node.can_focus), None)
        if panel is not None:
            panel.focus()


class SettingField(Horizontal):
    """A setting's name, the input to type a new value in, and what is wrong with that value."""

    DEFAULT_CSS = """
    SettingField { height: auto; }
    SettingField > Label { width: auto; padding-right: 1; color: $text-muted; }
    SettingField > SettingInput { width: 12; }
    SettingField > .train-field-note {
        width: 1fr; height: auto; padding: 0 0 0 1; color: $text-muted;
    }
    SettingField.-invalid > .train-field-note { color: $error; }
    SettingField.-invalid > SettingInput { background: $error 20%; }
    """

    def __init__(self, name: str, value: str, label: str = "", label_width: int = 11) -> None:
        super().__init__(classes="train-field")
        self.setting = name
        self._value = value
        self._label = label or name
        self._label_width = label_width
        """The widest label of the box: the inputs line up under each other."""

    def compose(self) -> ComposeResult:
        label = Label(self._label)
        label.styles.min_width = self._label_width + 1  # the padding's column too
        yield label
        yield SettingInput(self._value, name=self.setting, compact=True, select_on_focus=False)
        yield Static("", classes="train-field-note")

    @property
    def input(self) -> SettingInput:
        """The input the learner types in."""
        return self.query_one(SettingInput)

    def show_note(self, note: str, *, invalid: bool) -> None:
        """Say what is wrong with the typed value (or what will happen with it)."""
        self.set_class(invalid, "-invalid")
        self.query_one(".train-field-note", Static).update(Text(note))  # not markup: values hold [ ]

    @property
    def note(self) -> str:
        """The text shown beside the input."""
        return str(self.query_one(".train-field-note", Static).render())


class SettingsBox(VerticalGroup):
    """The fields of the editable settings, and the settings the next run will use.

    A good value is used as soon as it is typed; a bad one is explained beside its input and not
    used: the setting keeps the value the learner last left the field with, not a half-typed
    one on the way ("500" on the way to "5000").
    """

    DEFAULT_CSS = "SettingsBox { height: auto; }"

    @dataclass
    class Submitted(Message):
        """Enter in a field holding a good value: the learner asks for a run with it."""

        box: SettingsBox

    @dataclass
    class Changed(Message):
        """The settings the next run would use changed (typed, or filled in by a prediction)."""

        box: SettingsBox

    def __init__(self, lesson_config: TrainConfig, lang: str = "en") -> None:
        super().__init__(classes="train-fields")
        self.lang = lang
        """The language of the notes beside the inputs."""
        self.lesson_config = lesson_config
        self.config = lesson_config
        """The lesson's settings with the learner's good edits: what the next run uses."""
        self._kept: dict[str, object] = {}
        """Per setting, the good value the learner last left its field with."""

    def compose(self) -> ComposeResult:
        names = setting_names(self.lang)
        shown = {name: names.get(name, name) for name in self.config.editable}
        width = max([11, *(cell_len(label) for label in shown.values())])
        for name, label in shown.items():
            yield SettingField(name, format_setting(getattr(self.config, name)), label, width)

    def reset(self) -> None:
        """Go back to the lesson's settings, in the fields too."""
        self.config, self._kept = self.lesson_config, {}
        for field in self.query(SettingField):
            field.input.value = format_setting(getattr(self.config, field.setting))

    def show_settings(self, values: Mapping[str, Any]) -> None:
        """The lesson's settings with `values` on top, in the fields too: the run a prediction is about."""
        config = self.lesson_config
        texts = {
            name: format_setting(tuple(value) if isinstance(value, list) else value)
            for name, value in values.items()
            if name in config.editable
        }
        try:
            config = config.with_settings(texts)
        except SettingError:
            pass  # `check` refuses such a quiz; the lesson's values stay
        self.config = config
        self._kept = {name: getattr(config, name) for name in config.editable}
        for field in self.query(SettingField):
            field.input.value = format_setting(getattr(config, field.setting))
        self.post_message(self.Changed(self))

    @staticmethod
    def _field(event: Input.Changed | Input.Blurred | Input.Submitted) -> SettingField:
        event.stop()
        return next(a for a in event.input.ancestors if isinstance(a, SettingField))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        field = self._field(event)
        name = field.setting
        try:
            value = parse_setting(name, event.value, self.config)
        except SettingError as error:
            kept = self._kept.get(name, getattr(self.lesson_config, name))
            back: dict[str, Any] = {name: kept}
            self.config = dataclasses.replace(self.config, **back)
            note = labels(self.lang)["still-using"].format(
                error=error.words(self.lang), value=format_setting(kept)
            )
            field.show_note(note, invalid=True)
            self.post_message(self.Changed(self))
            return
        self.config = dataclasses.replace(self.config, **{name: value})
        self.post_message(self.Changed(self))
        lesson = getattr(self.lesson_config, name)
        words = labels(self.lang)
        note = words["lesson-value"].format(value=format_setting(lesson)) if value != lesson else ""
        field.show_note(note, invalid=False)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        field = self._field(event)
        if not field.has_class("-invalid"):
            self._kept[field.setting] = getattr(self.config, field.setting)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        field = self._field(event)
        if not field.has_class("-invalid"):
            self._kept[field.setting] = getattr(self.config, field.setting)
            self.post_message(self.Submitted(self))
