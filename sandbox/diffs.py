"""What changed between two attempts, file by file, as lines a template renders (and so
escapes): no HTML is built here."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
CONTEXT_LINES = 3


@dataclass
class DiffLine:
    kind: str  # "add", "del", "same" or "hunk"
    text: str
    old: int | None = None
    new: int | None = None


@dataclass
class FileDiff:
    path: str
    lines: list[DiffLine] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def file_diff(path: str, before: str, after: str) -> FileDiff:
    """A unified diff of one file, each line numbered in the old and the new text."""
    diff = FileDiff(path)
    old = new = 0
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=CONTEXT_LINES)
    for line in list(lines)[2:]:  # skip the ---/+++ header
        if match := HUNK.match(line):
            old, new = int(match[1]), int(match[2])
            diff.lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            diff.lines.append(DiffLine("add", line[1:], new=new))
            diff.added += 1
            new += 1
        elif line.startswith("-"):
            diff.lines.append(DiffLine("del", line[1:], old=old))
            diff.removed += 1
            old += 1
        else:
            diff.lines.append(DiffLine("same", line[1:], old=old, new=new))
            old += 1
            new += 1
    return diff


def files_diff(before: dict[str, str], after: dict[str, str]) -> list[FileDiff]:
    """Every file of either attempt, in path order; a file only one side has is all
    added or all removed."""
    return [file_diff(path, before.get(path, ""), after.get(path, "")) for path in sorted(set(before) | set(after))]
