"""What the dataset core tells a learner (fetch failures, fallbacks), in zh and en."""

from __future__ import annotations

import errno
from typing import Any

from d2l_tui.words import say_in

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "offline": "offline: could not reach any {dataset} mirror ({reason})",
        "not-found": "no mirror has {file} ({reason})",
        "checksum": "{file} from {source} is not the official file (its MD5 is {got}, expected {want})",
        "size": "{file} from {source} has {got:,} bytes, expected {want:,}",
        "missing-source": "{folder} has no {file}: put the four .gz files there as downloaded",
        "cancelled": "download cancelled; {file} is kept and resumes next time",
        "missing": "{dataset} is not downloaded yet (run: d2l-tui data fetch {dataset})",
        "unreadable": "{file}: {reason}",
        "nothing-to-fetch": "{dataset} ships with d2l-tui: nothing to download",
        "fallback": "{reason}; using the shipped handwritten digits instead",
        "disk": "cannot write {file}: {reason}",
        "gave-up": "{file}: gave up on {source} after {tries} tries ({reason})",
        "no-mirrors": "no mirror to download {dataset} from",
        "busy": "another d2l-tui is downloading {dataset} into {folder}; try again when it is done",
        "reason-dns": "the server's name cannot be looked up",
        "reason-refused": "the connection was refused",
        "reason-timeout": "no answer within {seconds:g} s",
        "reason-dropped": "the connection dropped",
        "reason-http": "HTTP {status}",
        "reason-network": "network error: {detail}",
        "reason-magic": "not an IDX file (it starts with {start})",
        "reason-short": "the file ends early ({got:,} of {want:,} bytes of data)",
        "reason-gzip": "not a readable gzip file",
        "reason-labels": "{images:,} images but {labels:,} labels",
        "reason-os": "{detail}",
        "reason-denied": "permission denied",
        "reason-full": "the disk is full",
        "reason-readonly": "the disk is read-only",
        "reason-not-official": "MXNet's loader reads only the official files (given others it downloads those)",
    },
    "zh": {
        "offline": "无法联网：连不上 {dataset} 的任何镜像（{reason}）",
        "not-found": "所有镜像上都没有 {file}（{reason}）",
        "checksum": "来自 {source} 的 {file} 不是官方文件（MD5 为 {got}，应为 {want}）",
        "size": "来自 {source} 的 {file} 有 {got:,} 字节，应为 {want:,} 字节",
        "missing-source": "{folder} 里没有 {file}：请把下载好的四个 .gz 文件原样放进去",
        "cancelled": "已取消下载；{file} 已下载的部分会保留，下次接着下",
        "missing": "{dataset} 还没有下载（运行：d2l-tui data fetch {dataset}）",
        "unreadable": "{file}：{reason}",
        "nothing-to-fetch": "{dataset} 随 d2l-tui 一起安装，无需下载",
        "fallback": "{reason}；改用自带的手写数字数据集",
        "disk": "无法写入 {file}：{reason}",
        "gave-up": "{file}：从 {source} 试了 {tries} 次都没成功（{reason}）",
        "no-mirrors": "没有可以下载 {dataset} 的镜像",
        "busy": "另一个 d2l-tui 正在把 {dataset} 下载到 {folder}；等它下完再试",
        "reason-dns": "查不到服务器的地址",
        "reason-refused": "连接被拒绝",
        "reason-timeout": "{seconds:g} 秒内没有回应",
        "reason-dropped": "连接中断了",
        "reason-http": "HTTP {status}",
        "reason-network": "网络出错",
        "reason-magic": "不是 IDX 文件（开头是 {start}）",
        "reason-short": "文件提前结束（数据只有 {got:,} 字节，应有 {want:,} 字节）",
        "reason-gzip": "不是能读的 gzip 文件",
        "reason-labels": "有 {images:,} 张图像，却有 {labels:,} 个标签",
        "reason-os": "系统错误",
        "reason-denied": "没有权限",
        "reason-full": "磁盘已满",
        "reason-readonly": "磁盘是只读的",
        "reason-not-official": "MXNet 的读取器只读官方文件（遇到别的文件会重新下载官方的）",
    },
}


def say(lang: str, key: str, **params: Any) -> str:
    """The words for `key` in `lang`, filled with `params` (a `Said` parameter in `lang` too)."""
    shown = {
        name: value.words(lang) if isinstance(value, Said) else value
        for name, value in params.items()
    }
    return say_in(WORDS, lang, key, **shown)


class Said:
    """Words kept as a key and parameters, so they can be shown in either language later."""

    def __init__(self, key: str, params: dict[str, Any] | None = None, **more: Any) -> None:
        self.key = key
        self.params: dict[str, Any] = {**(params or {}), **more}

    def words(self, lang: str) -> str:
        """These words in `lang`."""
        return say(lang, self.key, **self.params)

    def __str__(self) -> str:
        return self.words("en")

    def __repr__(self) -> str:
        return f"Said({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and (self.key, self.params) == (other.key, other.params)

    __hash__ = None  # type: ignore[assignment]  # the params are a dict


def os_reason(error: OSError) -> Said:
    """A file-system failure in words either language can show."""
    known = {
        errno.EACCES: "reason-denied",
        errno.EPERM: "reason-denied",
        errno.ENOSPC: "reason-full",
        errno.EROFS: "reason-readonly",
    }
    if error.errno in known:
        return Said(known[error.errno])
    return Said("reason-os", detail=error.strerror or str(error))


class DataError(Exception):
    """A dataset problem a learner can read in zh or en; str() is the English words."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(say("en", key, **params))

    def words(self, lang: str) -> str:
        """This problem in `lang`, one line."""
        return say(lang, self.key, **self.params)


class Offline(DataError):
    """No mirror could be reached at all (no network, a firewall, a proxy)."""


class FetchFailed(DataError):
    """Some mirror answered, but no mirror gave a good copy of a file."""


class Cancelled(DataError):
    """The caller asked the download to stop; what arrived is kept for a resume."""


class DatasetMissing(DataError):
    """The dataset's files are not (all) in its folder."""


class Unreadable(DataError):
    """A dataset file is there but is not what its format says (truncated, wrong magic)."""
