"""What each image dataset is: its name, classes (zh and en), files, checksums and mirrors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DIGITS = "digits"
FASHION_MNIST = "fashion-mnist"


@dataclass(frozen=True)
class FileSpec:
    """One file a dataset needs, with the checksums that prove it is the official one."""

    name: str
    """The file's name, as the mirrors and MXNet's gluon loader call it."""
    size: int
    """Its length in bytes (0 when unknown)."""
    md5: str
    """Hex MD5 the dataset's authors publish; "" to skip."""
    sha1: str = ""
    """Hex SHA-1 that MXNet's `gluon.data.vision.FashionMNIST` checks; "" to skip."""


# The four gz files of Zalando's Fashion-MNIST. MD5s and sizes as github.com/zalandoresearch/
# fashion-mnist publishes them; SHA-1s as MXNet 1.9.1's FashionMNIST class hard-codes them, so a
# file that passes both is one MXNet reads without trying to download it again.
FASHION_MNIST_FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "train-images-idx3-ubyte.gz",
        26_421_880,
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "0cf37b0d40ed5169c6b3aba31069a9770ac9043d",
    ),
    FileSpec(
        "train-labels-idx1-ubyte.gz",
        29_515,
        "25c81989df183df01b3e8a0aad5dffbe",
        "236021d52f1e40852b06a4c3008d8de8aef1e40b",
    ),
    FileSpec(
        "t10k-images-idx3-ubyte.gz",
        4_422_102,
        "bef4ecab320f06d8554ea6380940ec79",
        "626ed6a7c06dd17c0eec72fa3be1740f146a2863",
    ),
    FileSpec(
        "t10k-labels-idx1-ubyte.gz",
        5_148,
        "bb300cfdad3c16e7a12a480ee83cd310",
        "17f9ab60e7257a1620f4ad76bbbaf857c3920701",
    ),
)

# Tried in order; each serves the four files under the same names. The first is Zalando's own,
# the second the one MXNet (and so the book) downloads from.
FASHION_MNIST_MIRRORS: tuple[str, ...] = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/dataset/fashion-mnist/",
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    DIGITS: {
        "en": tuple(str(d) for d in range(10)),
        "zh": tuple(str(d) for d in range(10)),
    },
    FASHION_MNIST: {
        "en": (
            "t-shirt",
            "trouser",
            "pullover",
            "dress",
            "coat",
            "sandal",
            "shirt",
            "sneaker",
            "bag",
            "ankle boot",
        ),
        "zh": ("T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"),
    },
}

_TITLES: dict[str, dict[str, str]] = {
    DIGITS: {"en": "handwritten digits (UCI, 8×8)", "zh": "手写数字（UCI，8×8）"},
    FASHION_MNIST: {"en": "Fashion-MNIST (28×28)", "zh": "Fashion-MNIST 服饰图像（28×28）"},
}


def dataset_names() -> tuple[str, ...]:
    """The datasets d2l-tui knows, the shipped default first."""
    return (DIGITS, FASHION_MNIST)


def check_name(name: str) -> str:
    """`name` when it is a known dataset; else ValueError listing the known ones."""
    if name not in _CLASSES:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    return name


def class_names(dataset: str, lang: str = "en") -> tuple[str, ...]:
    """The ten class names of `dataset` in `lang` (zh or en; English for any other)."""
    words = _CLASSES[check_name(dataset)]
    return words.get(lang, words["en"])


def title(dataset: str, lang: str = "en") -> str:
    """A short name for `dataset` that a learner reads, in `lang`."""
    words = _TITLES[check_name(dataset)]
    return words.get(lang, words["en"])


def dataset_root(name: str, data_dir: Path | None = None) -> Path:
    """The folder a downloaded dataset is kept in: `<data folder>/datasets/<name>`."""
    from d2l_tui.paths import data_dir as default_data_dir

    return default_data_dir(data_dir) / "datasets" / check_name(name)


def mxnet_root(name: str) -> Path:
    """Where MXNet's gluon keeps `name` by default ($MXNET_HOME/datasets/<name>), without importing MXNet."""
    home = os.environ.get("MXNET_HOME") or os.path.join("~", ".mxnet")
    return Path(home).expanduser() / "datasets" / check_name(name)
