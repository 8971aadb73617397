"""Reading the files a process is given on stdin and writing them under a root."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path, PurePosixPath


def read_payload() -> dict:
    """The runner sends one JSON document on stdin and then closes it."""
    return json.loads(sys.stdin.buffer.read().decode("utf-8"))


def write_files(root: Path, files: dict[str, str], mode: int = 0o644) -> None:
    """Write ``files`` below ``root``; refuse any path that would leave it."""
    for name, text in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"refusing file name {name!r}")
        target = root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL|O_NOFOLLOW: never write through anything already there.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
