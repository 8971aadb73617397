"""Text that every database Duet runs on can store, and every page can show.

What comes out of a sandbox is the learner's code's doing: its log, its responses
quoted in a test's message or transcript, even a test's name. SQLite stores any string;
PostgreSQL refuses a NUL character in text columns and ``\\u0000`` in JSON, and no
database or page can encode a lone surrogate (``"\\ud800"``, which JSON allows). Invalid
UTF-8 never gets this far: bytes are decoded with replacement where they leave the
container. ``storable`` makes a value safe once, where a job's results are recorded,
and visibly so: a NUL becomes "␀" (the Unicode picture of one), a lone surrogate "�",
so a learner who printed one sees where it was.
"""

from __future__ import annotations

import re
from typing import Any

NUL_PICTURE = "\u2400"  # ␀
REPLACEMENT = "\ufffd"  # �
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` with each NUL and lone surrogate replaced by a visible stand-in."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: NUL_PICTURE if m.group() == "\x00" else REPLACEMENT, text)


def storable(value: Any) -> Any:
    """``value`` (a JSON-like tree of dicts, lists and scalars) with every string in it,
    keys included, made storable by ``storable_text``; other values are kept as they are."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value
