"""`d2l-tui data list` and `d2l-tui data fetch`, through the real command line and a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from d2l_tui.cli import build_parser, main
from d2l_tui.datasets import FetchProgress, fetch
from d2l_tui.datasets.command import bar_line, clock, human_bytes
from d2l_tui.datasets.command import run as run_data
from test_datasets_fetch import (
    NAMES,
    Mirror,
    Server,
    closed_port_url,
    small_fashion,
    specs_for,
)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def no_book_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MXNet's own dataset folder points at an empty place, so nothing is copied from it."""
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "mxnet-home"))


def test_list_shows_what_is_here_its_size_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "list", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAME", "STATE", "SIZE", "WHERE"]
    assert out[1].split()[:4] == ["digits", "shipped", "57.5", "kB"]
    assert out[1].endswith("digits.csv.gz")
    assert out[2].split() == [
        "fashion-mnist",
        "missing",
        "0",
        "B",
        str(tmp_path / "datasets" / "fashion-mnist"),
    ]
    assert out[3].startswith("Get Fashion-MNIST with: d2l-tui data fetch fashion-mnist")


def test_list_as_json_follows_a_data_dir_given_before_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "datasets" / "fashion-mnist"
    root.mkdir(parents=True)
    content = small_fashion()
    (root / NAMES[1]).write_bytes(content[NAMES[1]])
    (root / (NAMES[0] + ".part")).write_bytes(b"x" * 1234)
    assert main(["--data-dir", str(tmp_path), "data", "list", "--format", "json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    # The real Fashion-MNIST label file is larger than this one: a whole file of the wrong size is damaged.
    assert rows["fashion-mnist"] == {
        "name": "fashion-mnist",
        "state": "damaged",
        "bytes": 1234 + len(content[NAMES[1]]),
        "path": str(root),
        "files": 0,
        "files_total": 4,
    }
    assert rows["digits"]["state"] == "shipped" and rows["digits"]["bytes"] == 57523
    assert main(["data", "--data-dir", str(tmp_path)]) == 0
    assert "damaged (0/4 files)" in capsys.readouterr().out
    (root / NAMES[1]).unlink()  # only the part of an interrupted download is left
    assert main(["data", "--data-dir", str(tmp_path)]) == 0
    assert "partial (0/4 files)" in capsys.readouterr().out


def test_fetch_refuses_files_that_are_not_the_official_ones(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real command with the real checksums: the local server's small files must fail them."""
    server.mirrors["m"] = Mirror(small_fashion())
    code = main(
        [
            "data",
            "fetch",
            "fashion-mnist",
            "--data-dir",
            str(tmp_path),
            "--mirror",
            server.url("m"),
            "--no-known-mirrors",
            "--retries",
            "1",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"d2l-tui data: {NAMES[0]} from {server.url('m')} has ")
    assert "expected 26,421,880" in err[0]
    # Nothing kept but the folder's fetch lock: no refused file, no part.
    assert [p.name for p in (tmp_path / "datasets" / "fashion-mnist").iterdir()] == [".fetch.lock"]


def test_fetch_offline_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "data",
            "fetch",
            "fashion-mnist",
            "--data-dir",
            str(tmp_path),
            "--mirror",
            closed_port_url(),
            "--no-known-mirrors",
            "--retries",
            "1",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(
        "d2l-tui data: offline: could not reach any fashion-mnist mirror (the connection "
        "was refused); lessons use the shipped digits"
    )
    assert "--from DIR" in err[0]


def test_fetch_downloads_verifies_and_lists(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = small_fashion()
    server.mirrors["m"] = Mirror(content, drop_after={NAMES[0]: 20_000})
    words = [
        "data",
        "fetch",
        "fashion-mnist",
        "--data-dir",
        str(tmp_path),
        "--mirror",
        server.url("m"),
        "--no-known-mirrors",
    ]
    assert run_data(build_parser(words).parse_args(words), files=specs_for(content)) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert [line.split()[:2] for line in lines] == [
        [f"[{i}/4]", name] for i, name in enumerate(NAMES, 1)
    ]
    assert all(line.endswith("ok") for line in lines)
    root = tmp_path / "datasets" / "fashion-mnist"
    assert (
        captured.out.strip()
        == f"fashion-mnist: 4 files, {human_bytes(sum(map(len, content.values())))}, "
        f"checksums verified, in {root}"
    )
    assert (NAMES[0], "bytes=20000-") in server.mirrors["m"].requests
    assert all((root / name).read_bytes() == data for name, data in content.items())


def test_fetch_from_a_folder_downloaded_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = small_fashion()
    hand = tmp_path / "Downloads"
    hand.mkdir()
    for name, data in content.items():
        (hand / name).write_bytes(data)
    words = [
        "data",
        "fetch",
        "fashion-mnist",
        "--from",
        str(hand),
        "--data-dir",
        str(tmp_path / "d"),
    ]
    assert run_data(build_parser(words).parse_args(words), files=specs_for(content)) == 0
    assert (tmp_path / "d" / "datasets" / "fashion-mnist" / NAMES[2]).read_bytes() == content[
        NAMES[2]
    ]
    assert (
        capsys.readouterr().err.splitlines()[3]
        == f"[4/4] {NAMES[3]}  {len(content[NAMES[3]])} B  ok"
    )
    # With the real checksums, these small files are refused by name.
    assert (
        main(
            [
                "data",
                "fetch",
                "fashion-mnist",
                "--from",
                str(hand),
                "--data-dir",
                str(tmp_path / "e"),
            ]
        )
        == 1
    )
    assert capsys.readouterr().err.strip() == (
        f"d2l-tui data: {NAMES[0]} from {hand} has {len(content[NAMES[0]]):,} bytes, expected 26,421,880"
    )
    assert (
        main(
            [
                "data",
                "fetch",
                "fashion-mnist",
                "--from",
                str(tmp_path / "empty"),
                "--data-dir",
                str(tmp_path / "e"),
            ]
        )
        == 1
    )
    assert capsys.readouterr().err.strip() == (
        f"d2l-tui data: {tmp_path / 'empty'} has no {NAMES[0]}: put the four .gz files there as downloaded"
    )


def test_fetch_digits_has_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "fetch", "digits"]) == 0
    assert "ships with d2l-tui" in capsys.readouterr().err
    assert main(["data", "fetch", "fashion-mnist", "--no-known-mirrors"]) == 2


def test_the_progress_line_shows_bytes_speed_and_time_left() -> None:
    progress = FetchProgress(
        "train-images-idx3-ubyte.gz",
        1,
        4,
        13_210_940,
        26_421_880,
        13_210_940,
        30_878_645,
        1_200_000.0,
        "http://mirror/",
    )
    line = bar_line(progress, 100)
    assert line.startswith("[1/4] train-images-idx3-ubyte.gz  ")
    assert "13.2 MB/26.4 MB  1.2 MB/s  0:15 left" in line
    assert line.count("█") == line.count("░") or abs(line.count("█") - line.count("░")) <= 1
    assert len(line) <= 100
    assert clock(3725) == "1:02:05" and clock(59.6) == "1:00"
    narrow = bar_line(progress, 70)
    assert (
        len(narrow) < 70
        and narrow.startswith("[1/4] train-images  █")
        and narrow.endswith("0:15 left")
    )
    assert bar_line(progress, 60) == "[1/4] train-images  13.2 MB/26.4 MB  1.2 MB/s  0:15 left"
    done = FetchProgress("a", 4, 4, 10, 10, 100, 100, 0.0, "x", finished=True)
    assert bar_line(done).endswith("done")


def test_fetch_copies_what_the_book_already_downloaded_with_mxnet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = small_fashion()
    # MXNET_HOME points at tmp_path / "mxnet-home" (see no_book_copy).
    book = tmp_path / "mxnet-home" / "datasets" / "fashion-mnist"
    book.mkdir(parents=True)
    for name, data in content.items():
        (book / name).write_bytes(data)
    words = [
        "data",
        "fetch",
        "fashion-mnist",
        "--data-dir",
        str(tmp_path / "d"),
        "--mirror",
        closed_port_url(),
    ]
    assert run_data(build_parser(words).parse_args(words), files=specs_for(content)) == 0
    assert capsys.readouterr().err.splitlines()[0] == f"Copying from MXNet's own folder {book}"
    root = tmp_path / "d" / "datasets" / "fashion-mnist"
    assert all((root / name).read_bytes() == data for name, data in content.items())


def test_list_verify_tells_a_damaged_file_from_a_whole_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = small_fashion()
    root = tmp_path / "datasets" / "fashion-mnist"
    root.mkdir(parents=True)
    for name, data in content.items():
        (root / name).write_bytes(data)
    specs = specs_for(content)

    def listed(*more: str) -> str:
        words = ["data", "list", "--data-dir", str(tmp_path), *more]
        assert run_data(build_parser(words).parse_args(words), files=specs) == 0
        return capsys.readouterr().out.splitlines()[2]

    assert listed("--verify").split()[:2] == ["fashion-mnist", "present"]
    labels = content[NAMES[1]]
    (root / NAMES[1]).write_bytes(labels[:-1] + bytes([labels[-1] ^ 1]))  # same size, one bit off
    assert listed().split()[:2] == ["fashion-mnist", "present"]  # sizes alone cannot tell
    assert listed("--verify").split()[:4] == ["fashion-mnist", "damaged", "(3/4", "files)"]


def test_the_learners_own_mirrors_come_first_and_stay_with_no_known_mirrors(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    content = small_fashion()
    server.mirrors["school"] = Mirror(content)
    monkeypatch.setenv("D2L_TUI_DATASET_MIRRORS", f"{closed_port_url()}  {server.url('school')}")
    # The API (as the app calls it): no mirrors given, so the environment's come before the known ones.
    dest = tmp_path / "api"
    fetch("fashion-mnist", dest, files=specs_for(content), plan=None)
    assert all((dest / name).read_bytes() == data for name, data in content.items())
    # The command with the real checksums and only the learner's mirrors: the school's small files are refused.
    words = ["data", "fetch", "fashion-mnist", "--data-dir", str(tmp_path), "--no-known-mirrors"]
    assert main([*words, "--retries", "1"]) == 1
    assert f"{NAMES[0]} from {server.url('school')} has " in capsys.readouterr().err
