"""File paths in an exercise: the one check of a path's shape (for the import, the
authoring form and a learner's submission alike), and what an ``editable`` entry covers.

An ``editable`` entry is either a file (``todos/views.py``: the learner edits it; not
sent, it keeps its starter text) or a folder or a glob (``blog/``, ``blog/**``,
``todos/templates/*.html``): the learner edits the files it covers and may add, rename
and delete files there. Of a folder or glob, the learner's files are the whole of it: a
starter file it covers that the learner deleted is absent from the app that is graded.

In a glob, ``*`` and ``?`` match within one part of the path and ``**`` (a part on its
own) any number of folders. Each entry becomes a regular expression that Python and the
browser's JavaScript read alike, so the workspace checks a new file's name as the server
does (``pattern_regex``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

PATH_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
GLOB_PART = re.compile(r"^[A-Za-z0-9_.*?-]+$")
MAX_PATH_CHARS = 200
MAX_DEPTH = 10

# Names a learner may not give a file of their own, and why: Python runs the startup
# hooks on its own when /app is on its path (the setup steps run with it there), it
# writes bytecode itself, and a top-level module of these names would hide the package
# of the sandbox image that the app, the setup steps or the harness import.
RESERVED_FILES = {
    "sitecustomize.py": "Python runs it at start-up",
    "usercustomize.py": "Python runs it at start-up",
}
RESERVED_PARTS = {"__pycache__": "Python keeps compiled files there"}
RESERVED_TOP = ("duet_harness", "flask", "django", "werkzeug", "jinja2", "pytest", "_pytest", "sqlalchemy")


def path_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a file's path in an exercise, or None: it must be
    relative, without ``..``, ``.`` or empty parts, of letters, digits, ``_``, ``-``, ``.``
    and ``/``, at most 200 characters and 10 folders deep."""
    if not value or value.startswith("/"):
        return f"“{value}” should be a relative path, such as app.py or todo/views.py."
    parts = value.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"“{value}” leaves the exercise or has an empty part: no “..”, “.” or “//”."
    if not all(PATH_PART.match(part) for part in parts):
        return f"“{value}” has characters a path may not use here: letters, digits, “_”, “-”, “.” and “/” only."
    if len(value) > MAX_PATH_CHARS or len(parts) > MAX_DEPTH + 1:
        return f"“{value[:60]}…” is too long: a path has at most {MAX_PATH_CHARS} characters and {MAX_DEPTH} folders."
    return None


def learner_path_problem(value: str) -> str | None:
    """``path_problem``, and the names a learner's own file may not have: hidden files
    and folders, and the names the sandbox reserves (``RESERVED_*``)."""
    if problem := path_problem(value):
        return problem
    parts = value.split("/")
    hidden = next((part for part in parts if part.startswith(".")), None)
    if hidden:
        return f"“{value}”: names starting with a dot (hidden files such as {hidden}) are not graded."
    for part in parts:
        if part in RESERVED_PARTS:
            return f"“{value}”: {part} is reserved ({RESERVED_PARTS[part]})."
    if parts[-1] in RESERVED_FILES:
        return f"“{value}”: {parts[-1]} is reserved ({RESERVED_FILES[parts[-1]]})."
    if parts[-1].endswith(".pyc"):
        return f"“{value}”: compiled Python files are not graded; send the .py source."
    top = parts[0].removesuffix(".py") if len(parts) == 1 else parts[0]
    if top in RESERVED_TOP:
        return f"“{value}” would hide the {top} package the sandbox provides: choose another name."
    return None


def is_pattern(entry: str) -> bool:
    """A folder (ending in ``/``) or a glob, rather than one file."""
    return entry.endswith("/") or any(ch in entry for ch in "*?")


def entry_problem(entry: str) -> str | None:
    """What is wrong with an ``editable`` entry, or None: a file's path, a folder's path
    ending in ``/``, or a glob of ``*``, ``?`` and ``**``."""
    if not is_pattern(entry):
        return path_problem(entry)
    body = entry.removesuffix("/") if entry.endswith("/") else entry
    if not body or body.startswith("/"):
        return f"“{entry}” should be a relative folder or glob, such as blog/ or blog/**."
    parts = body.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"“{entry}” leaves the exercise or has an empty part: no “..”, “.” or “//”."
    if not all(GLOB_PART.match(part) for part in parts):
        return f"“{entry}” has characters a glob may not use here: letters, digits, “_”, “-”, “.”, “*”, “?” and “/”."
    if any("**" in part and part != "**" for part in parts):
        return f"“{entry}”: ** stands for any folders, so it is a part on its own (blog/**/*.html)."
    return None


def _part_regex(part: str) -> str:
    return "".join("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in part)


def pattern_regex(entry: str) -> str:
    """The entry as an anchored regular expression over a file's path, in the syntax
    Python's ``re`` and JavaScript's ``RegExp`` share (``blog/**`` → ``^blog/(?:[^/]+/)*[^/]+$``)."""
    body = entry.removesuffix("/") + "/**" if entry.endswith("/") else entry
    parts = body.split("/")
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append("(?:[^/]+/)*[^/]+" if last else "(?:[^/]+/)*")
        else:
            out.append(_part_regex(part) + ("" if last else "/"))
    # re.escape writes "\-" for "-": JavaScript (without the u flag) reads it alike.
    return "^" + "".join(out) + "$"


@dataclass(frozen=True)
class Editable:
    """An exercise's ``editable`` entries, and what they make of the files."""

    entries: tuple[str, ...]

    @classmethod
    def of(cls, entries: Iterable[str]) -> Editable:
        return cls(tuple(entries))

    @cached_property
    def files(self) -> tuple[str, ...]:
        """The entries that are one file each."""
        return tuple(entry for entry in self.entries if not is_pattern(entry))

    @cached_property
    def patterns(self) -> tuple[str, ...]:
        return tuple(entry for entry in self.entries if is_pattern(entry))

    @cached_property
    def _compiled(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern_regex(entry)) for entry in self.patterns)

    def in_pattern(self, path: str) -> bool:
        """Covered by a folder or glob: the learner may add, rename or delete it."""
        return any(regex.match(path) for regex in self._compiled)

    def covers(self, path: str) -> bool:
        return path in self.files or self.in_pattern(path)

    def learner_files(self, starter: dict[str, str], files: dict[str, str]) -> dict[str, str]:
        """Every file the learner edits, from ``files`` (the learner's, whole): each listed
        file from ``files``, else its starter text, else empty; then every file of
        ``files`` that a folder or glob covers, and no other."""
        mine = {path: files.get(path, starter.get(path, "")) for path in self.files}
        mine.update({path: text for path, text in sorted(files.items()) if path not in mine and self.in_pattern(path)})
        return mine

    def starter_files(self, starter: dict[str, str]) -> dict[str, str]:
        """The learner's files before they change any: the listed ones (empty when the
        starter has none) and every starter file a folder or glob covers."""
        return self.learner_files(starter, {path: text for path, text in starter.items() if self.in_pattern(path)})

    def app_files(self, starter: dict[str, str], files: dict[str, str]) -> dict[str, str]:
        """The whole app: the starter files the learner does not edit, each listed file
        from ``files`` where sent (else the starter's, if it has one), and of the folders
        and globs only what ``files`` holds."""
        app = {path: text for path, text in starter.items() if not self.covers(path)}
        app.update({path: starter[path] for path in self.files if path in starter})
        app.update({path: text for path, text in files.items() if self.covers(path)})
        return app

    def overlay(self, starter: dict[str, str], *layers: dict[str, str]) -> dict[str, str]:
        """The learner's files made from ``layers`` laid over the starter's: how a
        solution, a variant or an alternative (which hold only the files they change)
        becomes a learner's whole set."""
        whole = self.starter_files(starter)
        for layer in layers:
            whole.update(layer)
        return self.learner_files(starter, whole)
