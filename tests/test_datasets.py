"""The shipped digits, class names, the IDX reader, Fashion-MNIST from its folder, and the fallback."""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mxnet_tests import mxnet_or_skip
from test_datasets_fetch import NAMES, small_fashion

from d2l_tui.datasets import (
    DatasetMissing,
    Unreadable,
    class_names,
    dataset_names,
    dataset_root,
    load_dataset,
    load_digits,
    load_fashion_mnist,
    title,
)
from d2l_tui.datasets.digits import DIGITS_FILE, read_digits, stratified_split
from d2l_tui.datasets.fashion import mxnet_can_read, read_with_mxnet, read_with_numpy
from d2l_tui.datasets.idx import parse_idx, read_idx, to_idx

ASCII_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_digits_are_the_1797_uci_images_scaled_and_split() -> None:
    train_x, train_y, test_x, test_y = load_digits()
    assert len(train_x) + len(test_x) == 1797
    assert train_x.shape[1:] == test_x.shape[1:] == (8, 8)
    assert train_x.dtype == test_x.dtype == np.float32
    assert train_y.dtype == test_y.dtype == np.int32
    assert train_x.min() == 0.0 and train_x.max() == 1.0
    assert set(train_y.tolist()) == set(test_y.tolist()) == set(range(10))
    # Each class is split in proportion: 18-19 % to 21 % of it in the test part.
    for digit in range(10):
        share = np.sum(test_y == digit) / (np.sum(test_y == digit) + np.sum(train_y == digit))
        assert 0.18 < share < 0.22


def test_digits_match_the_csv_file_read_independently() -> None:
    with gzip.open(DIGITS_FILE, "rt") as lines:
        rows = [[int(v) for v in row] for row in csv.reader(lines)]
    pixels, labels = read_digits()
    assert len(rows) == 1797
    assert np.array_equal(pixels.reshape(1797, 64), np.array([r[:64] for r in rows]))
    assert labels.tolist() == [r[64] for r in rows]
    # Every image lands in exactly one part, unchanged but for the scaling.
    train, test = stratified_split(labels, 0.2, seed=0)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(1797))
    split = load_digits()
    assert np.array_equal(split.test_x, pixels[test].astype(np.float32) / 16)
    assert np.array_equal(split.train_y, labels[train])


def test_the_split_is_fixed_by_its_seed() -> None:
    first, again, other = load_digits(), load_digits(), load_digits(seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first.test_y, other.test_y)
    flat = load_digits(flat=True)
    assert flat.train_x.shape == (len(first.train_x), 64)
    assert np.array_equal(flat.train_x, first.train_x.reshape(-1, 64))
    with pytest.raises(ValueError):
        load_digits(test_fraction=1.0)


def test_digits_carry_their_attribution() -> None:
    readme = (DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")
    for needed in ("CC BY 4.0", "Alpaydin", "Kaynak", "10.24432/C50P49", "scikit-learn"):
        assert needed in readme


def test_class_names_in_both_languages() -> None:
    assert dataset_names()[0] == "digits"
    assert set(dataset_names()) == {"digits", "fashion-mnist"}
    assert class_names("digits", "zh") == class_names("digits", "en") == tuple("0123456789")
    assert class_names("fashion-mnist", "en") == (
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
    )
    assert class_names("fashion-mnist", "zh") == (
        "T恤",
        "裤子",
        "套衫",
        "连衣裙",
        "外套",
        "凉鞋",
        "衬衫",
        "运动鞋",
        "包",
        "短靴",
    )
    assert class_names("fashion-mnist", "fr") == class_names("fashion-mnist", "en")
    assert "手写数字" in title("digits", "zh")
    with pytest.raises(ValueError, match="known: digits, fashion-mnist"):
        class_names("mnist")


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
def test_idx_round_trip(dtype: type, tmp_path: Path) -> None:
    array = (
        (np.arange(2 * 3 * 5) - 7).astype(dtype).reshape(2, 3, 5)
        if dtype != np.uint8
        else np.arange(30, dtype=np.uint8).reshape(2, 3, 5)
    )
    data = to_idx(array)
    assert data[2] in (0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E) and data[3] == 3
    assert np.array_equal(parse_idx(data), array)
    packed = tmp_path / "a.idx.gz"
    packed.write_bytes(gzip.compress(data))
    back = read_idx(packed)
    assert back.dtype == np.dtype(dtype) and np.array_equal(back, array)


def test_a_bad_idx_file_is_named_with_its_reason(tmp_path: Path) -> None:
    with pytest.raises(Unreadable) as wrong:
        parse_idx(b"PK\x03\x04rest", "x.gz")
    assert str(wrong.value) == "x.gz: not an IDX file (it starts with 50 4b 03 04)"
    with pytest.raises(Unreadable) as short:
        parse_idx(to_idx(np.zeros((4, 28, 28), np.uint8))[:-10], "t.gz")
    assert "3,126 of 3,136 bytes" in str(short.value)
    assert "文件提前结束" in short.value.words("zh")
    broken = tmp_path / "b.gz"
    broken.write_bytes(gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 20)[:-6])
    with pytest.raises(Unreadable, match="not a readable gzip file"):
        read_idx(broken)


def put_fashion(folder: Path, content: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in content.items():
        (folder / name).write_bytes(data)


def test_fashion_mnist_reads_from_its_folder(tmp_path: Path) -> None:
    content = small_fashion(train=30, test=7)
    put_fashion(tmp_path, content)
    # Not the official files: MXNet's loader would try to download those, so NumPy reads these.
    assert not mxnet_can_read(tmp_path)
    split = load_fashion_mnist(tmp_path)
    assert split.train_x.shape == (30, 28, 28) and split.test_x.shape == (7, 28, 28)
    assert (
        split.train_x.dtype == np.float32 and 0 <= split.train_x.min() and split.train_x.max() <= 1
    )
    labels = np.frombuffer(gzip.decompress(content[NAMES[3]])[8:], dtype=np.uint8)
    assert split.test_y.tolist() == labels.tolist()
    assert load_fashion_mnist(tmp_path, flat=True).test_x.shape == (7, 784)
    (tmp_path / NAMES[1]).write_bytes(gzip.compress(to_idx(np.zeros(29, np.uint8))))
    with pytest.raises(Unreadable, match="30 images but 29 labels"):
        load_fashion_mnist(tmp_path)
    (tmp_path / NAMES[2]).unlink()
    with pytest.raises(DatasetMissing, match="d2l-tui data fetch fashion-mnist"):
        load_fashion_mnist(tmp_path)


def test_load_dataset_falls_back_to_digits_with_one_line_why(tmp_path: Path) -> None:
    loaded = load_dataset("fashion-mnist", data_dir=tmp_path)
    assert loaded.name == "digits" and loaded.split.train_x.shape[1:] == (8, 8)
    assert loaded.fallback is not None
    en, zh = loaded.fallback.words("en"), loaded.fallback.words("zh")
    assert en == (
        "fashion-mnist is not downloaded yet (run: d2l-tui data fetch fashion-mnist); "
        "using the shipped handwritten digits instead"
    )
    assert "\n" not in zh and "改用自带的手写数字数据集" in zh
    assert load_dataset("digits", data_dir=tmp_path).fallback is None


def test_load_dataset_gives_fashion_mnist_once_it_is_there(tmp_path: Path) -> None:
    root = dataset_root("fashion-mnist", tmp_path)
    assert root == tmp_path / "datasets" / "fashion-mnist"
    put_fashion(root, small_fashion(train=12, test=5))
    loaded = load_dataset("fashion-mnist", data_dir=tmp_path, flat=True)
    assert loaded.name == "fashion-mnist" and loaded.fallback is None
    assert loaded.split.train_x.shape == (12, 784)
    (root / NAMES[0]).write_bytes(b"\x1f\x8bnot gzip at all")
    broken = load_dataset("fashion-mnist", data_dir=tmp_path)
    assert broken.name == "digits" and broken.fallback is not None
    assert broken.fallback.words("en").startswith(
        f"{NAMES[0]}: not a readable gzip file; using the shipped"
    )
    assert "不是能读的 gzip 文件" in broken.fallback.words("zh")


def test_mxnet_gluon_reads_the_same_arrays_as_the_numpy_reader(tmp_path: Path) -> None:
    """The book's loader, real MXNet, on small files: only its hard-coded SHA-1s are swapped for theirs."""
    mxnet_or_skip()
    from mxnet.gluon.data.vision import FashionMNIST
    from mxnet.gluon.data.vision.datasets import MNIST

    content = small_fashion(train=20, test=6)
    put_fashion(tmp_path, content)
    sums = {name: hashlib.sha1(data).hexdigest() for name, data in content.items()}

    class SmallFashion(FashionMNIST):
        def __init__(self, root: str, train: bool = True) -> None:
            self._train = train
            self._train_data, self._train_label = (
                (NAMES[0], sums[NAMES[0]]),
                (NAMES[1], sums[NAMES[1]]),
            )
            self._test_data, self._test_label = (
                (NAMES[2], sums[NAMES[2]]),
                (NAMES[3], sums[NAMES[3]]),
            )
            self._namespace = "fashion-mnist"
            super(MNIST, self).__init__(root, None)  # as FashionMNIST does

    by_mxnet = read_with_mxnet(tmp_path, must=True, dataset=SmallFashion)
    by_numpy = read_with_numpy(tmp_path)
    assert by_mxnet is not None
    assert by_mxnet.train_x.shape == (20, 28, 28) and by_mxnet.test_y.shape == (6,)
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(by_mxnet, by_numpy))
    # Asked for MXNet with files it does not know, the loader refuses instead of letting it download.
    with pytest.raises(Unreadable, match="reads only the official files"):
        load_fashion_mnist(tmp_path, reader="mxnet")


def test_official_files_read_the_same_with_mxnet_and_numpy() -> None:
    """Runs where the real Fashion-MNIST is in the data folder or MXNet's (no network in tests)."""
    from d2l_tui.datasets.catalog import mxnet_root

    roots = [
        p
        for p in (
            dataset_root("fashion-mnist", Path.home() / ".local/share/d2l-tui"),
            mxnet_root("fashion-mnist"),
        )
        if mxnet_can_read(p)
    ]
    if not roots:
        pytest.skip("the official Fashion-MNIST files are not on this machine")
    mxnet_or_skip()
    by_mxnet = load_fashion_mnist(roots[0], reader="mxnet")
    by_numpy = load_fashion_mnist(roots[0], reader="numpy")
    assert by_mxnet.train_x.shape == (60000, 28, 28) and by_mxnet.test_x.shape == (10000, 28, 28)
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(by_mxnet, by_numpy))


def test_the_dataset_core_imports_neither_textual_nor_mxnet() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import d2l_tui.datasets, d2l_tui.datasets.command, sys; "
                "d2l_tui.datasets.load_dataset('fashion-mnist'); print(' '.join(sys.modules))"
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert not [m for m in out if m.split(".")[0] in ("textual", "mxnet")]


def test_chinese_words_carry_no_english_but_names() -> None:
    from d2l_tui.datasets.words import WORDS

    # Command words, formats and protocols stay as they are; placeholders are filled with names.
    allowed = {"d", "l", "tui", "data", "fetch", "gz", "gzip", "IDX", "MD", "HTTP", "MXNet"}
    assert WORDS["zh"].keys() == WORDS["en"].keys()
    for key, text in WORDS["zh"].items():
        shown = re.sub(r"\{[^}]*\}", " ", text)
        words = "".join(c if c in ASCII_LETTERS else " " for c in shown).split()
        assert set(words) <= allowed, (key, text)
