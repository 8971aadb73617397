"""The HTTP exchanges a hidden test made with the learner's app, as the report carries
them (``tests[].http``), and their bounds.

The ``client`` fixture records them (``client.py``), the plugin bounds them per run and
fits the report under the runner's cap, and the host checks a report's exchanges again
(``sandbox.transcripts``), since the report comes out of the sandbox. Stdlib only, so
both sides read one definition of the format, the bounds and what a clean text is.

One exchange::

    {"method": "GET", "path": "/api/notes/1", "query": "x=y",
     "request_headers": [["Accept", "application/json"]], "request_body": None,
     "status": 404, "reason": "NOT FOUND",
     "response_headers": [["Content-Type", "text/html; charset=utf-8"]],
     "response_body": {"bytes": 207, "text": "<!doctype html>…", "cut": False},
     "elapsed_ms": 2.1}

A request that got no answer has ``status`` None and an ``error``; a body is None when
there was none to read, ``{"bytes": N, "binary": True}`` when it is not text.
"""

from __future__ import annotations

import codecs
import json
import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

MAX_EXCHANGES = 20  # per test: its first and last ten
MAX_BODY_BYTES = 2 * 1024  # of each body, the request's and the response's
MAX_RUN_BYTES = 64 * 1024  # of all the run's exchanges, as JSON
MAX_HEADERS = 12
MAX_HEADER_CHARS = 200
MAX_URL_CHARS = 2000
MAX_NOTE_CHARS = 300
MAX_ERROR_CHARS = 300

# Shown as escapes, never as themselves: terminal and bidirectional controls, line and
# paragraph separators, lone surrogates (which no page can encode).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_TEXT_TYPES = ("application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded")
_BINARY_MAJORS = ("image/", "audio/", "video/", "font/")


def clean(text: str) -> str:
    """``text`` with every control character but newline and tab written as an escape
    (``\\x1b``, ``\\u202e``), so nothing an app sends can move a cursor, turn text
    around or break a page's encoding."""
    text = text.replace("\r\n", "\n")
    out = []
    for ch in text:
        if ch in "\n\t" or not _hostile(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def _hostile(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounded(text: str, limit: int) -> str:
    """``text`` cleaned and cut to ``limit`` characters; only what can be kept is read."""
    return cut(clean(text[: limit + 1]), limit)


def body(raw: bytes | None, content_type: str = "") -> dict[str, Any] | None:
    """A body as the report keeps it: its size, and the start of it as clean text (cut
    at MAX_BODY_BYTES), unless it is binary."""
    if raw is None:
        return None
    head = raw[:MAX_BODY_BYTES]
    # An incremental decoder leaves out a character the cut split in two.
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(head, final=len(head) == len(raw))
    if _is_binary(head, text, content_type):
        return {"bytes": len(raw), "binary": True}
    cleaned = clean(text)  # escapes can make it longer than the bytes it came from
    return {
        "bytes": len(raw),
        "text": cut(cleaned, MAX_BODY_BYTES),
        "cut": len(head) < len(raw) or len(cleaned) > MAX_BODY_BYTES,
    }


def _is_binary(head: bytes, text: str, content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith(_BINARY_MAJORS) and not mime.endswith("+xml"):
        return True
    if b"\x00" in head:
        return True
    textual = mime.startswith("text/") or mime in _TEXT_TYPES or mime.endswith(("+json", "+xml"))
    replaced = text.count("\ufffd")
    return replaced > (0 if not textual and mime else max(1, len(text) // 10))


def headers(pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
    return [
        [bounded(str(name), MAX_HEADER_CHARS), bounded(str(value), MAX_HEADER_CHARS)]
        for name, value in list(pairs)[:MAX_HEADERS]
    ]


def exchange(
    *,
    method: str,
    url: str,
    base_url: str,
    request_headers: Sequence[tuple[str, str]],
    request_body: bytes | None,
    request_type: str = "",
    status: int | None = None,
    reason: str = "",
    response_headers: Sequence[tuple[str, str]] = (),
    response_body: bytes | None = None,
    response_type: str = "",
    elapsed_ms: float | None = None,
    error: str = "",
) -> dict[str, Any]:
    """One exchange, bounded; ``url`` is shown relative to the app's ``base_url``."""
    path, query = _relative(url, base_url)
    record: dict[str, Any] = {
        "method": bounded(method.upper(), 16),
        "path": bounded(path, MAX_URL_CHARS),
        "query": bounded(query, MAX_URL_CHARS),
        "request_headers": headers(request_headers),
        "request_body": body(request_body, request_type),
        "status": status,
        "reason": bounded(reason, 100),
        "response_headers": headers(response_headers),
        "response_body": body(response_body, response_type),
        "elapsed_ms": None if elapsed_ms is None else round(elapsed_ms, 1),
    }
    if error:
        record["error"] = bounded(error, MAX_ERROR_CHARS)
    return record


def _relative(url: str, base_url: str) -> tuple[str, str]:
    parts, base = urlsplit(url), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return parts._replace(query="", fragment="").geturl(), parts.query
    return parts.path or "/", parts.query


def json_size(value: Any) -> int:
    """Bytes of ``value`` as the report writes it (ASCII JSON)."""
    return len(json.dumps(value))


def _exchanges(count: int) -> str:
    return f"{count} exchange" if count == 1 else f"{count} exchanges"


def note(*parts: str) -> str:
    return cut(" ".join(part for part in parts if part), MAX_NOTE_CHARS)


def _failing_first(tests: list[dict]) -> list[dict]:
    """Tests in the order their transcripts matter: failing and broken ones first."""
    return sorted(tests, key=lambda test: test.get("status") == "pass")


def keep_within(tests: list[dict], budget: int = MAX_RUN_BYTES) -> None:
    """Cut the tests' exchanges to ``budget`` bytes of JSON in all, failing tests first;
    a test that loses exchanges says so in ``http_note``."""
    used = 0
    for test in _failing_first(tests):
        http = test.get("http") or []
        kept = []
        for item in http:
            size = json_size(item) + 2
            if used + size > budget:
                break
            kept.append(item)
            used += size
        if len(kept) < len(http):
            test["http"] = kept
            test["http_note"] = note(
                test.get("http_note", ""),
                f"{_exchanges(len(http) - len(kept))} not shown:",
                f"a run keeps {budget // 1024} KiB of transcripts, failing tests first.",
            )


def fit_report(report: dict, limit: int) -> None:
    """Drop whole transcripts, passing tests' first and the last test's first, until the
    report's JSON is at most ``limit`` bytes: the runner drops a larger report whole."""
    size = json_size(report)
    for test in reversed(_failing_first(report.get("tests") or [])):
        if size <= limit:
            return
        if not test.get("http"):
            continue
        before = json_size(test)
        shown = len(test["http"])
        test["http"] = []
        test["http_note"] = note(f"{_exchanges(shown)} not shown: the report must fit the sandbox's output limit.")
        size += json_size(test) - before


def checked(value: Any) -> dict[str, Any] | None:
    """An exchange from a report read outside the sandbox, rebuilt from the fields and
    types above with their bounds (and cleaned again), or None when it is not one."""
    if not isinstance(value, dict) or not isinstance(value.get("method"), str):
        return None
    status = value.get("status")
    elapsed = value.get("elapsed_ms")
    record: dict[str, Any] = {
        "method": bounded(value["method"], 16),
        "path": _text(value.get("path"), MAX_URL_CHARS) or "/",
        "query": _text(value.get("query"), MAX_URL_CHARS),
        "request_headers": _checked_headers(value.get("request_headers")),
        "request_body": _checked_body(value.get("request_body")),
        "status": status if _is_int(status) and 100 <= status <= 999 else None,
        "reason": _text(value.get("reason"), 100),
        "response_headers": _checked_headers(value.get("response_headers")),
        "response_body": _checked_body(value.get("response_body")),
        "elapsed_ms": round(float(elapsed), 1) if _is_number(elapsed) and 0 <= elapsed < 1e7 else None,
    }
    error = _text(value.get("error"), MAX_ERROR_CHARS)
    if error or record["status"] is None:
        record["error"] = error or "no answer"
    return record


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _text(value: Any, limit: int) -> str:
    return bounded(value, limit) if isinstance(value, str) else ""


def _checked_headers(value: Any) -> list[list[str]]:
    if not isinstance(value, list):
        return []
    pairs = [
        pair for pair in value if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
    ]
    return headers([(name, text) for name, text in pairs])


def _checked_body(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not _is_int(value.get("bytes")) or value["bytes"] < 0:
        return None
    if value.get("binary") is True:
        return {"bytes": value["bytes"], "binary": True}
    return {"bytes": value["bytes"], "text": _text(value.get("text"), MAX_BODY_BYTES), "cut": value.get("cut") is True}


def checked_transcript(http: Any, http_note: Any) -> tuple[list[dict[str, Any]], str]:
    """A test's exchanges and note from a report read outside the sandbox: checked, at
    most MAX_EXCHANGES of them (``keep_within`` bounds the run)."""
    items = http if isinstance(http, list) else []
    kept = [item for item in map(checked, items[:MAX_EXCHANGES]) if item is not None]
    text = _text(http_note, MAX_NOTE_CHARS)
    if len(items) > MAX_EXCHANGES:
        text = note(text, f"Another {_exchanges(len(items) - MAX_EXCHANGES)} not shown.")
    return kept, text
