"""A test's HTTP exchanges as a learner reads them: the request and status lines, the
headers and body starts as plain text, and a ``curl`` line to send the same request to
their own app. Built from a stored result, whose exchanges grading already checked
(``duet_harness.transcript.checked``); everything here is text for auto-escaping."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

# Where a learner's own server listens by default: `flask run` and `manage.py runserver`.
LOCAL_PORTS = {"flask": 5000, "django": 8000}
GLOB_CHARACTERS = frozenset("[]{}")


@dataclass(frozen=True)
class ExchangeView:
    request_line: str
    status_line: str
    status_class: str  # "2xx" … "5xx", or "none" when there was no answer
    elapsed: str
    request_headers: str
    request_body: str
    response_headers: str
    response_body: str
    body_note: str
    curl: str
    curl_note: str


def local_url(exchange: dict[str, Any], framework: str = "") -> str:
    target = exchange.get("path") or "/"
    if exchange.get("query"):
        target += "?" + exchange["query"]
    if target.startswith(("http://", "https://")):
        return target
    return f"http://127.0.0.1:{LOCAL_PORTS.get(framework, 8000)}{target}"


def curl_line(exchange: dict[str, Any], framework: str = "") -> tuple[str, str]:
    """A shell line that sends the same request to the learner's own server, and a note
    on what it cannot send (cookies, a body that was cut or is binary)."""
    method = exchange.get("method") or "GET"
    url = local_url(exchange, framework)
    body = exchange.get("request_body") or {}
    data = body.get("text") if body.get("bytes") and not body.get("binary") and not body.get("cut") else None
    headers = [(name, value) for name, value in exchange.get("request_headers") or []]
    content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
    notes = []
    if data is not None and content_type.lower().startswith("multipart/"):
        data = None
    if body.get("bytes") and data is None:
        notes.append("The request's body is not in this line (it was cut, binary or multipart).")
    args = ["curl", "-I" if method == "HEAD" else "-i"]
    if GLOB_CHARACTERS & set(url):
        args.append("-g")  # [ ] { } in a URL are curl's globs otherwise
    if method not in ("GET", "HEAD") and not (method == "POST" and data is not None):
        args += ["-X", method]
    for name, value in headers:
        if name.lower() == "cookie":
            notes.append("This line sends no cookies: sign in first, or add -b with your own.")
            continue
        args += ["-H", f"{name}: {value}"]
    if data is not None:
        args += ["--data-raw", data]
    args.append(url)
    return " ".join(shlex.quote(arg) for arg in args), " ".join(notes)


def _headers_text(pairs: list[list[str]]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in pairs)


def _body_text(body: dict[str, Any] | None) -> str:
    if not body:
        return ""
    if body.get("binary"):
        return f"(binary, {body.get('bytes', 0):,} bytes)"
    return body.get("text") or ""


def _body_note(body: dict[str, Any] | None) -> str:
    if body and body.get("cut") and not body.get("binary"):
        return f"The body has {body.get('bytes', 0):,} bytes: only its start is shown."
    return ""


def _duration(ms: Any) -> str:
    if not isinstance(ms, int | float):
        return ""
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:,.0f} ms"


def exchange_view(exchange: dict[str, Any], framework: str = "") -> ExchangeView:
    status = exchange.get("status")
    target = (exchange.get("path") or "/") + ("?" + exchange["query"] if exchange.get("query") else "")
    if isinstance(status, int):
        status_line, status_class = f"{status} {exchange.get('reason') or ''}".strip(), f"{str(status)[0]}xx"
    else:
        status_line, status_class = f"no answer: {exchange.get('error') or 'the request failed'}", "none"
    elapsed = exchange.get("elapsed_ms")
    curl, curl_note = curl_line(exchange, framework)
    return ExchangeView(
        request_line=f"{exchange.get('method') or 'GET'} {target}",
        status_line=status_line,
        status_class=status_class,
        elapsed=_duration(elapsed),
        request_headers=_headers_text(exchange.get("request_headers") or []),
        request_body=_body_text(exchange.get("request_body")),
        response_headers=_headers_text(exchange.get("response_headers") or []),
        response_body=_body_text(exchange.get("response_body")) or ("(no body)" if status_class != "none" else ""),
        body_note=_body_note(exchange.get("response_body")),
        curl=curl,
        curl_note=curl_note,
    )
