"""Job state changes, told over Redis pub/sub to the pages that watch them.

When a job's row changes state (claimed, given back, ended; a regrade's progress), the
process that changed it publishes the channel's name once the change is committed. The
message says only "look again": a page's stream (``sandbox.streams``) reads the row and
renders for its own viewer what the status view would, so nothing staff-only travels on
the channel and the row stays the one truth.

A row is not published when it is created queued: no page can watch it before the
request that made it answers with its stream's URL, and a stream starts with the state.

Publishing never fails the caller. With Redis down the change is logged and lost; the
page still sees it, from the row, when its stream reconnects or when it polls.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

PREFIX = "duet:"
# A publish waits at most this long for Redis: a worker must not stall on an outage.
TIMEOUT_SECONDS = 0.5


def submission_channel(submission_id: int) -> str:
    return f"{PREFIX}submission:{submission_id}"


def validation_channel(validation_id: int) -> str:
    return f"{PREFIX}validation:{validation_id}"


def regrade_channel(regrade_id: int) -> str:
    return f"{PREFIX}regrade:{regrade_id}"


@cache
def redis_client(url: str) -> redis.Redis:
    """A client that waits at most TIMEOUT_SECONDS and never retries, for what must not
    stall its caller on an outage."""
    # No retries: a lost publish costs a page one reconnect, a retry loop costs the worker.
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS, retry=Retry(NoBackoff(), 0)
    )


def publish(channel: str, payload: dict | None = None) -> bool:
    """Tell the channel's watchers to look again, now. False (and a log line) if Redis
    could not take it; never raises."""
    try:
        redis_client(settings.REDIS_URL).publish(channel, json.dumps(payload or {}))
    except Exception as exc:  # redis raises many kinds; all mean "not told"
        log.warning("could not publish to %s (%s): its pages see the change when they next look", channel, exc)
        return False
    return True


def publish_on_commit(channels: Iterable[str], payload: dict | None = None) -> None:
    """Publish once the current transaction commits (at once outside one): a page told
    earlier would read the row before the change."""
    for channel in channels:
        transaction.on_commit(lambda channel=channel: publish(channel, payload))
