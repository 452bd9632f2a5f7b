"""Folder trust: a course folder's code runs only once the learner has said it may (pure).

The shipped course is trusted. For any other folder the answer is asked once and kept in
`trust.json` in the data folder, keyed by the folder's resolved path.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from d2l_tui.paths import shipped_lessons_dir

TRUST_FILE = "trust.json"


def folder_key(folder: Path) -> str:
    """The key a folder's answer is kept under: its resolved path."""
    return str(Path(folder).expanduser().resolve())


@dataclass
class TrustStore:
    """The learner's answers, by folder; a folder never asked about has none."""

    data_dir: Path
    answers: dict[str, bool] = field(default_factory=dict)
    error: str | None = None
    """Why the answers could not be saved (they are then kept for this session only)."""

    @classmethod
    def open(cls, data_dir: Path) -> TrustStore:
        store = cls(Path(data_dir))
        try:
            raw = json.loads(store.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        folders = raw.get("folders") if isinstance(raw, dict) else None
        if isinstance(folders, dict):
            store.answers = {k: v for k, v in folders.items() if isinstance(k, str) and isinstance(v, bool)}
        return store

    @property
    def path(self) -> Path:
        return self.data_dir / TRUST_FILE

    def answer(self, folder: Path) -> bool | None:
        """True: its code may run; False: the learner said no; None: not asked yet."""
        key = folder_key(folder)
        if key == folder_key(shipped_lessons_dir()):
            return True
        return self.answers.get(key)

    def remember(self, folder: Path, trusted: bool) -> bool:
        """Keep the learner's answer (and save it); False if it could not be written."""
        self.answers[folder_key(folder)] = trusted
        data = {"version": 1, "folders": dict(sorted(self.answers.items()))}
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".trust-", dir=self.data_dir)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    json.dump(data, file, ensure_ascii=False, indent=1)
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as error:
            self.error = f"{self.path}: {error.strerror or error}"
            return False
        self.error = None
        return True
