"""The `gallery` block: a row of a dataset's images with their class names (the book's
`show_fashion_mnist`), loaded in a thread worker so a lesson never waits for Fashion-MNIST."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from d2l_tui.course.model import Block
from d2l_tui.ui.reach import lang_of, tutor_app
from d2l_tui.ui.widgets.image_pixels import make_gallery
from d2l_tui.ui.widgets.image_view import Picture
from d2l_tui.ui.widgets.prose import ItemWidget
from d2l_tui.words import Tables, say_in

WORDS: Tables = {
    "en": {
        "title": "{dataset}: {split} images {first} to {last}",
        "train": "training",
        "test": "test",
        "loading": "(loading the images…)",
    },
    "zh": {
        "title": "{dataset}：{split}第 {first} 到 {last} 张图片",
        "train": "训练集",
        "test": "测试集",
        "loading": "（正在读取图片……）",
    },
}
COUNT, MOST = 10, 20


def gallery_settings(data: dict[str, object]) -> tuple[str, str, int, int]:
    """(dataset, split, start, count) of a block; `check` has refused anything else."""
    dataset = str(data.get("dataset") or "digits")
    split = str(data.get("split") or "train")
    start = data.get("start")
    count = data.get("count")
    return (
        dataset,
        split,
        start if isinstance(start, int) else 0,
        count if isinstance(count, int) else COUNT,
    )


class GalleryBlock(ItemWidget):
    """A lesson's picture of a dataset: `count` images from `start` of a split, names under them."""

    DEFAULT_CSS = """
    GalleryBlock { height: auto; layout: vertical; margin: 0 0 1 0; padding: 0 1; }
    GalleryBlock > .gallery-title { color: $text-muted; height: auto; }
    GalleryBlock > .gallery-note { color: $warning; height: auto; display: none; }
    GalleryBlock > .gallery-note.-shown { display: block; }
    """

    @dataclass
    class Loaded(Message, bubble=False):
        """The worker read the images: what to show, the dataset really used and why not another."""

        pictures: list[Picture]
        dataset: str
        fallback: str

    def __init__(self, block: Block, ref: tuple[int, int]) -> None:
        super().__init__("", ref)
        self.block = block
        self.dataset, self.split, self.start, self.count = gallery_settings(block.data)
        self.lang = "en"

    def compose(self) -> ComposeResult:
        self.lang = lang_of(self)
        yield Static("", classes="gallery-title")
        yield Static("", classes="gallery-note")
        self.pictures = make_gallery(tutor_app(self).graphics, empty=say_in(WORDS, self.lang, "loading"))
        yield self.pictures

    def on_mount(self) -> None:
        self.show_title(self.dataset)
        data_dir = tutor_app(self).data_dir
        self.run_worker(
            lambda: self.load(data_dir), thread=True, name="gallery", exit_on_error=False
        )

    def load(self, data_dir: Path | None) -> None:
        """In the worker: read the split and post the pictures (never touch a widget here)."""
        from d2l_tui.datasets import class_names, load_dataset

        loaded = load_dataset(self.dataset, data_dir)
        split = loaded.split
        images, labels = (
            (split.train_x, split.train_y)
            if self.split == "train"
            else (split.test_x, split.test_y)
        )
        names = class_names(loaded.name, self.lang)
        chosen = range(self.start, min(len(labels), self.start + min(self.count, MOST)))
        pictures = [Picture(images[i], names[int(labels[i])]) for i in chosen]
        why = loaded.fallback.words(self.lang) if loaded.fallback else ""
        self.post_message(self.Loaded(pictures, loaded.name, why))

    def on_gallery_block_loaded(self, message: GalleryBlock.Loaded) -> None:
        self.show_title(message.dataset)
        note = self.query_one(".gallery-note", Static)
        note.update(Text(message.fallback))
        note.set_class(bool(message.fallback), "-shown")
        self.pictures.show(message.pictures)

    def show_title(self, dataset: str) -> None:
        """Name what the row shows, in the lesson's language (its `title` when it has one)."""
        from d2l_tui.datasets import title

        words = {
            "dataset": title(dataset, self.lang),
            "split": say_in(WORDS, self.lang, self.split),
            "first": self.start + 1,
            "last": self.start + min(self.count, MOST),
        }
        given = self.block.data.get("title")
        text = str(given) if given else say_in(WORDS, self.lang, "title", **words)
        self.query_one(".gallery-title", Static).update(Text(text))
