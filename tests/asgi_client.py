"""Requests straight through course.asgi.application, without a server: what the ASGI
tests send and read."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from course import asgi


def scope_for(path: str, headers: list[tuple[bytes, bytes]] = (), method: str = "GET") -> dict:
    """An HTTP scope for ``path`` at testserver, with ``headers`` after its Host."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def answer(scope: dict) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One request through course.asgi.application: its status, headers and body."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await asgi.application(scope, receive, send)
    assert sent[0]["type"] == "http.response.start"
    return sent[0]["status"], sent[0]["headers"], b"".join(message.get("body", b"") for message in sent[1:])


def in_a_loop(coroutine):
    """Run ``coroutine`` in an event loop of its own thread: a test process may already run
    a loop in this one (Playwright's sync API does, once a browser test has run)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
