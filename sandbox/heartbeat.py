"""Workers' heartbeats: what the web, which has no Docker socket, knows of each worker.

Each Celery worker's main process writes, every ``INTERVAL_SECONDS``, one Redis key
(``duet:worker:<node>``, expiring after ``STALE_SECONDS``) saying whether its Docker
engine answers, which sandbox images it has, how many warm sandboxes its engine holds
and its size. Each job, while it runs, keeps a key of its own (``duet:running:<node>:<pid>``,
expiring with the job's lease), so the status page can say what each worker is doing.
A worker that died stops beating and is gone from the page within ``STALE_SECONDS``.

``python -m sandbox.heartbeat --check`` is the worker container's health check: it
exits 0 when this host's worker beat recently and its engine and images are there.
Nothing here ever fails a job or a worker: a beat that cannot be written is logged.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

WORKER_PREFIX = "duet:worker:"
RUNNING_PREFIX = "duet:running:"
INTERVAL_SECONDS = 10.0
STALE_SECONDS = 35


def _redis():
    from django.conf import settings

    from .events import redis_client

    return redis_client(settings.REDIS_URL)


def engine_report() -> dict[str, Any]:
    """This host's engine as a worker sees it: whether it answers, its runtime, the
    sandbox images it holds, and the warm sandboxes running on it."""
    from django.conf import settings

    from . import runner

    report: dict[str, Any] = {"ok": False, "error": "", "images": {}, "warm": 0, "runtime": runner.sandbox_runtime()}
    try:
        client = runner.docker_client()
        client.ping()
        report["version"] = client.version().get("Version", "")
        for framework, image in settings.SANDBOX_IMAGES.items():
            try:
                report["images"][framework] = client.images.get(image).short_id
            except Exception:
                report["images"][framework] = None
        report["warm"] = len(client.containers.list(filters={"label": f"{runner.POOL_LABEL}=1", "status": "running"}))
        report["runtime"] = report["runtime"] or client.info().get("DefaultRuntime", "runc")
        report["ok"] = all(report["images"].values())
        if not report["ok"]:
            missing = sorted(f for f, image in report["images"].items() if image is None)
            report["error"] = f"sandbox image missing: {', '.join(missing)} (run sandbox/images/build.sh)"
    except Exception as exc:
        report["error"] = f"the Docker engine does not answer: {exc}"[:300]
    return report


def beat(node: str, *, concurrency: int | None, started: float) -> dict[str, Any]:
    """Write one heartbeat for ``node``; returns what it wrote."""
    from django.conf import settings

    state = {
        "node": node,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "at": time.time(),
        "started": started,
        "concurrency": concurrency,
        "pool_size": settings.SANDBOX_POOL_SIZE,
        "queue": settings.CELERY_TASK_DEFAULT_QUEUE,
        "engine": engine_report(),
    }
    try:
        _redis().set(WORKER_PREFIX + node, json.dumps(state), ex=STALE_SECONDS)
    except Exception as exc:
        log.warning("could not write the heartbeat of %s: %s", node, exc)
    return state


class Heartbeat:
    """The thread that beats for one worker, in its main process."""

    def __init__(self, node: str, concurrency: int | None) -> None:
        self.node, self.concurrency = node, concurrency
        self.started = time.time()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="duet-heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            beat(self.node, concurrency=self.concurrency, started=self.started)
            self.stopped.wait(INTERVAL_SECONDS)

    def stop(self) -> None:
        """A worker that stops says so at once: its key goes."""
        self.stopped.set()
        try:
            _redis().delete(WORKER_PREFIX + self.node)
        except Exception as exc:
            log.info("could not remove the heartbeat of %s (it expires by itself): %s", self.node, exc)


def job_started(node: str, label: str, lease_seconds: int) -> str | None:
    """Mark ``label`` as running on ``node`` (in this process) until ``job_ended`` or
    the lease; returns the key, or None when Redis did not take it."""
    key = f"{RUNNING_PREFIX}{node}:{os.getpid()}"
    try:
        _redis().set(key, json.dumps({"job": label, "since": time.time()}), ex=max(1, lease_seconds))
    except Exception:
        return None
    return key


def job_ended(key: str | None) -> None:
    if key is None:
        return
    try:
        _redis().delete(key)
    except Exception as exc:
        log.info("could not remove %s (it expires with the lease): %s", key, exc)


def workers(client=None) -> list[dict[str, Any]]:
    """Every worker that beat within STALE_SECONDS, by node name, each with ``running``
    (what its processes run now) and ``seen_seconds_ago``. Two round trips to Redis."""
    client = client or _redis()
    keys = sorted(client.scan_iter(match=WORKER_PREFIX + "*", count=500))
    running_keys = sorted(client.scan_iter(match=RUNNING_PREFIX + "*", count=500))
    values = client.mget(keys + running_keys) if keys or running_keys else []
    now = time.time()
    found: dict[str, dict[str, Any]] = {}
    for raw in values[: len(keys)]:
        if raw:
            state = json.loads(raw)
            state["seen_seconds_ago"] = round(max(0.0, now - state.get("at", now)), 1)
            state["running"] = []
            found[state["node"]] = state
    for key, raw in zip(running_keys, values[len(keys) :], strict=True):
        if not raw:
            continue
        node = key.decode()[len(RUNNING_PREFIX) :].rsplit(":", 1)[0]
        if node in found:
            job = json.loads(raw)
            job["seconds"] = round(max(0.0, now - job.get("since", now)), 1)
            found[node]["running"].append(job)
    return [found[node] for node in sorted(found)]


def check(node: str) -> str | None:
    """Why ``node``'s worker is not healthy, or None when it is."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        raw = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3).get(WORKER_PREFIX + node)
    except redis.RedisError as exc:
        return f"Redis does not answer at {url}: {exc}"
    if raw is None:
        return f"no heartbeat from {node} in the last {STALE_SECONDS} s"
    engine = json.loads(raw).get("engine", {})
    if not engine.get("ok"):
        return engine.get("error") or "the engine is not ready"
    return None


if __name__ == "__main__":
    # The worker container's health check: the default node name is celery@<hostname>.
    if sys.argv[1:2] != ["--check"]:
        sys.exit("usage: python -m sandbox.heartbeat --check [node]")
    problem = check(sys.argv[2] if len(sys.argv) > 2 else f"celery@{socket.gethostname()}")
    if problem:
        sys.exit(problem)
    print("ok")
