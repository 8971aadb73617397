"""Server-Sent Events: a page watches one job's status without asking again and again.

A stream sends, as ``data:`` lines, the very JSON the job's status view answers, read
from the database for the viewer: first at once (so a change made while the page had
no stream shows when it reconnects), then each time the job's channel says it changed
(``sandbox.events``), until the job is final. A comment line every HEARTBEAT_SECONDS
keeps proxies from closing a quiet stream.

Without Redis the stream sends the current state and ends with a ``retry`` delay: the
browser's EventSource reconnects by itself and reads the row again, so a page keeps up
(at that pace) through an outage and is pushed to again once Redis is back.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
# A stream ends after this long even if its job has not (the browser reconnects), so no
# connection is held forever by a job that never ends.
MAX_SECONDS = 600.0
# How long the browser waits before it reconnects, in ms: after an outage of Redis, and
# after a stream ended early.
RETRY_MS = 1500

State = Callable[[], dict[str, Any]]


def _event(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def _subscribe(channel: str) -> aioredis.client.PubSub | None:
    client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel)
    except Exception as exc:  # Redis down: the stream still sends what the row says
        log.warning("could not subscribe to %s (%s): the page reconnects in %s ms", channel, exc, RETRY_MS)
        await _close(pubsub)
        return None
    return pubsub


async def _close(pubsub: aioredis.client.PubSub) -> None:
    try:
        await pubsub.aclose()
        await pubsub.connection_pool.disconnect()  # the stream's own client: nothing shares it
    except Exception as exc:  # closing after an outage may fail; nothing is left to do
        log.debug("closing an event stream's Redis connection: %s", exc)


async def _events(
    pubsub: aioredis.client.PubSub | None, first: dict[str, Any], state: State, done: Callable[[dict], bool]
) -> AsyncIterator[bytes]:
    try:
        yield f"retry: {RETRY_MS}\n".encode() + _event(first)
        if pubsub is None or done(first):
            return
        last, ends = first, time.monotonic() + MAX_SECONDS
        spoke = time.monotonic()
        while time.monotonic() < ends:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=HEARTBEAT_SECONDS)
            except Exception as exc:  # Redis went away: end here; the browser reconnects
                log.warning("event stream lost Redis (%s): the page reconnects in %s ms", exc, RETRY_MS)
                return
            if message is None:  # quiet (or only the subscription's own confirmation)
                if time.monotonic() - spoke >= HEARTBEAT_SECONDS:
                    yield b": heartbeat\n\n"
                    spoke = time.monotonic()
                continue
            data = await sync_to_async(state)()
            if data != last:
                yield _event(data)
                last, spoke = data, time.monotonic()
            if done(data):
                return
    finally:  # also when the page went away (the task is cancelled)
        if pubsub is not None:
            await _close(pubsub)


async def event_stream(
    request: HttpRequest, channel: str, state: State, *, done: Callable[[dict], bool]
) -> HttpResponse:
    """The stream of ``state()`` (a status view's JSON, for this request's viewer) as the
    channel tells of changes. ``state`` raises Http404 or PermissionDenied as the status
    view does, before anything is streamed. Subscribed before the first read, so no
    change falls between them."""
    if not isinstance(request, ASGIRequest):
        # Under WSGI (course.wsgi) a stream would hold a thread and arrive all at once,
        # at the end: refuse it, after the same checks, and the page polls instead.
        await sync_to_async(state)()
        return HttpResponse("Streams are served by the ASGI server (course.asgi).", status=503)
    pubsub = await _subscribe(channel)
    try:
        first = await sync_to_async(state)()
    except BaseException:
        if pubsub is not None:
            await _close(pubsub)
        raise
    response = StreamingHttpResponse(_events(pubsub, first, state, done), content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
