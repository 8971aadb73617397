"""Whole signed-in pages, kept and answered on the event loop (course.asgi) without
Django's middleware, the thread hop, the session, the database or a template.

Which pages: the views decorated with ``cached_page`` (the learner's course, lesson and
exercise pages), when they answer a signed-in GET with 200 and set no cookie. A page is
kept per web process, keyed by

- the request: method, scheme, host, path, query and every header in KEY_HEADERS — the
  whole Cookie header among them, so a page is only ever given back to a browser that
  sends the very session (and CSRF cookie) it was rendered for;
- the database's *generation*: a random token in Redis that every write to the
  database replaces, from any process (the site's and the workers'), once it is
  committed (``install``, on each connection: an ``execute_wrapper``). A new attempt,
  a verdict, a draft, a published edit, an enrolment, a changed role, a log-out or a
  password change is a write, so the next request renders afresh: nothing a learner
  sees goes stale. Reading the token before rendering and keeping the page under that
  token means a page rendered across a write is never given back after it.

A kept page also ends after PAGE_CACHE_SECONDS (so a session that expires is served at
most that long past its end, to a client that still sends its cookie; a browser drops
it at its expiry), and the least recently used go first past PAGE_CACHE_BYTES.

It fails safe: with Redis unreachable nothing is answered from the cache and the
process forgets what it kept (a write made then could not replace the token); a write
whose new token could not be stored is logged. PAGE_CACHE_SECONDS = 0 turns it off.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

import redis.asyncio as aioredis
from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from redis.backoff import NoBackoff
from redis.retry import Retry

from sandbox import events
from sandbox.events import redis_client

log = logging.getLogger(__name__)

MARK = "X-Duet-Page-Cache"  # set by cached_page, removed before the answer leaves
_MARK = MARK.lower().encode()
# The request header the cache puts in front of a request it may keep the answer of (any
# the client sent is removed first): a view marks its answer only then, so a site served
# without the cache (WSGI, the test client) never shows the mark.
FRONT = (_MARK, b"front")
# What a page's answer may depend on besides its address. Anything else a browser sends
# (User-Agent, Accept, Referer, …) does not change what these views render.
KEY_HEADERS = (
    b"host",
    b"cookie",
    b"accept-language",
    b"accept-encoding",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-forwarded-port",
)
_WRITE = re.compile(rb"\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|ALTER|DROP|TRUNCATE)\b", re.IGNORECASE)

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


def generation_key() -> str:
    """The Redis key of this database's generation: one per database, so that two Duets
    on one Redis (a benchmark beside the site) do not clear each other's pages."""
    db = settings.DATABASES["default"]
    where = f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db['NAME']}"
    return "duet:pages:generation:" + hashlib.blake2b(where.encode(), digest_size=8).hexdigest()


# --- Views: which answers may be kept --------------------------------------------------------


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the page cache keep what ``view`` answers to a signed-in GET with 200."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and request.user.is_authenticated
            and request.META.get("HTTP_X_DUET_PAGE_CACHE") == "front"
        ):
            response[MARK] = "1"
        return response

    return wrapped


# --- Writes: a new generation once committed -------------------------------------------------


def new_generation() -> bool:
    """Replace the generation (every kept page of every process ends). False, and a log
    line, if Redis could not take it; never raises."""
    try:
        redis_client(settings.REDIS_URL).set(generation_key(), secrets.token_hex(8))
    except Exception as exc:  # redis raises many kinds; all mean "not replaced"
        log.warning("could not end the kept pages (%s): pages answer from the cache only while Redis answers", exc)
        return False
    return True


def _after_commit() -> None:
    new_generation()


_after_commit.page_generation = True  # type: ignore[attr-defined]  # found in run_on_commit


def _wrote(connection: BaseDatabaseWrapper) -> None:
    if not connection.in_atomic_block:
        new_generation()  # autocommit: the write is committed already
        return
    # Once a transaction, however many rows it writes.
    if not any(getattr(item[1], "page_generation", False) for item in connection.run_on_commit):
        transaction.on_commit(_after_commit, using=connection.alias, robust=True)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, bytes) else str(sql).encode("utf-8", "replace")
    if _WRITE.match(text):
        _wrote(context["connection"])
    return result


def install(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """On each new database connection (``connection_created``): watch its writes."""
    if settings.PAGE_CACHE_SECONDS > 0 and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


# --- The loop: answering from what is kept -----------------------------------------------


@dataclass
class Page:
    generation: str
    expires: float  # time.monotonic()
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def request_key(scope: dict) -> bytes | None:
    """What identifies the page asked for, or None when the request is not one kept
    pages answer (not a GET, a body, no session cookie)."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    headers: dict[bytes, list[bytes]] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.lower(), []).append(value)
    if b"authorization" in headers or b"transfer-encoding" in headers:
        return None
    if headers.get(b"content-length", [b"0"]) != [b"0"]:
        return None
    cookie = settings.SESSION_COOKIE_NAME.encode() + b"="
    if not any(cookie in value for value in headers.get(b"cookie", [])):
        return None
    key = hashlib.blake2b(digest_size=20)
    for part in (scope.get("scheme", "http").encode(), scope.get("raw_path") or scope["path"].encode()):
        key.update(part + b"\0")
    key.update(scope.get("query_string", b"") + b"\0")
    for name in KEY_HEADERS:
        for value in headers.get(name, []):
            key.update(name + b":" + value + b"\0")
    return key.digest()


class PageCache:
    def __init__(self, *, seconds: float, max_bytes: int, max_page_bytes: int) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.max_page_bytes = max_page_bytes
        self.pages: OrderedDict[bytes, Page] = OrderedDict()
        self.bytes = 0
        self.generation: str | None = None
        # Renders under way, by key: a request for a page being rendered waits for it.
        self.flights: dict[bytes, tuple[str, asyncio.Future]] = {}
        self._redis = None
        self._loop = None

    @classmethod
    def from_settings(cls) -> PageCache:
        return cls(
            seconds=settings.PAGE_CACHE_SECONDS,
            max_bytes=settings.PAGE_CACHE_BYTES,
            max_page_bytes=settings.PAGE_CACHE_PAGE_BYTES,
        )

    def forget(self) -> None:
        self.pages.clear()
        self.bytes = 0

    def _client(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        if self._redis is None or self._loop is not loop:  # a client belongs to one loop
            self._redis = aioredis.Redis.from_url(
                settings.REDIS_URL,
                socket_timeout=events.TIMEOUT_SECONDS,  # as the site's other Redis calls wait
                socket_connect_timeout=events.TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
            self._loop = loop
        return self._redis

    async def current_generation(self) -> str | None:
        """The database's generation now, or None (and nothing kept) if Redis does not
        answer. A generation that is missing (Redis restarted) is made anew: a random
        token is never one this process kept pages under."""
        key = generation_key()
        try:
            client = self._client()
            value = await client.get(key)
            if value is None:
                await client.set(key, secrets.token_hex(8), nx=True)
                value = await client.get(key)
        except Exception as exc:  # Redis down or slow: render every page
            if self.pages:
                log.warning("kept pages forgotten: Redis did not answer (%s)", exc)
            self.forget()
            self._redis = None
            return None
        generation = value.decode() if isinstance(value, bytes) else value
        if generation != self.generation:
            self.forget()
            self.generation = generation
        return generation

    def _get(self, key: bytes, generation: str) -> Page | None:
        page = self.pages.get(key)
        if page is None:
            return None
        if page.generation != generation or page.expires <= time.monotonic():
            self._drop(key)
            return None
        self.pages.move_to_end(key)
        return page

    def _drop(self, key: bytes) -> None:
        page = self.pages.pop(key, None)
        if page is not None:
            self.bytes -= len(page.body)

    def _keep(self, key: bytes, page: Page) -> None:
        if page.generation != self.generation:
            return  # a write came while it rendered
        self._drop(key)
        self.pages[key] = page
        self.bytes += len(page.body)
        while self.bytes > self.max_bytes and self.pages:
            self._drop(next(iter(self.pages)))

    async def __call__(self, scope: dict, receive, send, app: ASGIApp) -> None:
        """Answer from what is kept, or have ``app`` render it (and keep it if it may)."""
        key = request_key(scope) if self.seconds > 0 else None
        generation = await self.current_generation() if key is not None else None
        headers = [(name, value) for name, value in scope["headers"] if name.lower() != _MARK]
        if key is None or generation is None:
            return await app({**scope, "headers": headers}, receive, send)
        page = self._get(key, generation) or await self._rendered_meanwhile(key, generation)
        if page is not None:
            await send({"type": "http.response.start", "status": page.status, "headers": page.headers})
            await send({"type": "http.response.body", "body": page.body})
            return
        flight = asyncio.get_running_loop().create_future()
        self.flights[key] = (generation, flight)
        try:
            page = await self._render(scope, receive, send, app, key, generation, headers)
        finally:
            if self.flights.get(key, (None, None))[1] is flight:
                del self.flights[key]
            if not flight.done():
                flight.set_result(page)  # None if it was not kept (or failed): they render

    async def _rendered_meanwhile(self, key: bytes, generation: str) -> Page | None:
        """The page another request for the same key is rendering now, once it is
        rendered (rather than a second render of it beside the first), or None."""
        found = self.flights.get(key)
        if found is None or found[0] != generation or found[1].get_loop() is not asyncio.get_running_loop():
            return None
        return await asyncio.shield(found[1])

    async def _render(self, scope, receive, send, app: ASGIApp, key, generation, headers) -> Page | None:
        reply: dict = {"keep": False, "chunks": [], "size": 0, "complete": False}
        headers_in = scope["headers"]

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                names = {name.lower() for name, _ in headers}
                reply["keep"] = (
                    message["status"] == 200 and _MARK in names and _only_renewals(headers, _cookies(headers_in))
                )
                reply["status"] = message["status"]
                reply["headers"] = [(name, value) for name, value in headers if name.lower() != _MARK]
                message = {**message, "headers": reply["headers"]}
            elif message["type"] == "http.response.body" and reply["keep"]:
                body = message.get("body", b"")
                reply["size"] += len(body)
                if reply["size"] > self.max_page_bytes:
                    reply["keep"], reply["chunks"] = False, []
                else:
                    reply["chunks"].append(body)
                    reply["complete"] = not message.get("more_body", False)
            await send(message)

        await app({**scope, "headers": [*headers, FRONT]}, receive, capture)
        if reply["keep"] and reply["complete"]:
            page = Page(
                generation=generation,
                expires=time.monotonic() + self.seconds,
                status=reply["status"],
                headers=reply["headers"],
                body=b"".join(reply["chunks"]),
            )
            self._keep(key, page)
            return page
        return None


def _cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == b"cookie":
            found |= parse_cookie(value.decode("latin-1"))
    return found


def _only_renewals(headers: list[tuple[bytes, bytes]], sent: dict[str, str]) -> bool:
    """True when every cookie the answer sets is one the request sent, with the same
    value: a renewal of its expiry (Django's CSRF middleware renews its cookie on every
    page that holds a form), not a change. A new session, a message read (its cookie
    emptied) or a new CSRF secret is a change: such an answer is never kept."""
    for name, value in headers:
        if name.lower() != b"set-cookie":
            continue
        pair = value.decode("latin-1").split(";", 1)[0]
        cookie, _, content = pair.partition("=")
        if sent.get(cookie.strip()) != content.strip().strip('"'):
            return False
    return True
