"""What an operator needs to see: is the site up (``site_health``, behind /healthz) and
how is grading going (``grading_status``, the staff status page). Both are selectors:
reads only, a fixed number of queries whatever the traffic."""

from __future__ import annotations

import math
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from . import heartbeat
from .events import redis_client
from .models import ExerciseValidation, RegradeItem, Submission, Verdict
from .services.submissions import SUBMISSIONS

RECENT = timedelta(hours=1)
RECENT_ROWS = 10  # errors listed on the status page
DURATION_SAMPLE = 5000  # the newest verdicts of the hour that the percentiles read


def _failed(exc: Exception) -> dict[str, Any]:
    return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}


def _timed(check) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        return _failed(exc)
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def site_health() -> tuple[dict[str, Any], bool]:
    """The site's parts, for /healthz: the database and Redis (the web needs both), and
    each worker from its heartbeat (engine, images, warm pool). The bool is whether the
    web can serve: the database and Redis answer. Workers only make it "degraded"."""
    database = _timed(_database_answers)
    redis = _timed(lambda: redis_client(settings.REDIS_URL).ping())
    workers: list[dict[str, Any]] = []
    if redis["ok"]:
        try:
            workers = heartbeat.workers(redis_client(settings.REDIS_URL))
        except Exception as exc:
            redis = _failed(exc)
    serving = database["ok"] and redis["ok"]
    graders = [w for w in workers if w["engine"].get("ok")]
    status = "down" if not serving else "ok" if graders else "degraded"
    report = {
        "status": status,
        "database": {**database, "vendor": connection.vendor},
        "redis": redis,
        "workers": [
            {
                "node": w["node"],
                "seen_seconds_ago": w["seen_seconds_ago"],
                "engine": {
                    "ok": w["engine"].get("ok", False),
                    "error": w["engine"].get("error", ""),
                    "runtime": w["engine"].get("runtime", ""),
                },
                "images": {name: image is not None for name, image in w["engine"].get("images", {}).items()},
                "pool": {"size": w.get("pool_size"), "warm": w["engine"].get("warm", 0)},
                "concurrency": w.get("concurrency"),
            }
            for w in workers
        ],
    }
    if not graders:
        report["problem"] = (
            f"no worker with a working Docker engine has reported in the last {heartbeat.STALE_SECONDS} seconds"
        )
    return report, serving


def _percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of ``values`` (sorted), None for none."""
    if not values:
        return None
    rank = max(1, math.ceil(fraction * len(values)))
    return values[rank - 1]


def grading_status() -> dict[str, Any]:
    """The staff status page: the queue, the workers and what they run, the last hour's
    verdicts (how many, how fast from submit to verdict, by which worker), sandbox
    outages and grader errors. Seven queries and two Redis round trips."""
    since = timezone.now() - RECENT
    redis: dict[str, Any] = {"ok": True}
    queue_depth = None
    workers: list[dict[str, Any]] = []
    try:
        client = redis_client(settings.REDIS_URL)
        queue_depth = client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
        workers = heartbeat.workers(client)
    except Exception as exc:
        redis = _failed(exc)

    pending = Submission.objects.filter(status__in=Submission.PENDING).aggregate(
        queued=Count("id", filter=Q(status=Submission.Status.QUEUED)),
        running=Count("id", filter=Q(status=Submission.Status.RUNNING)),
    )
    finished = list(
        Submission.objects.filter(finished_at__gte=since)
        .order_by("-finished_at")
        .values_list("created_at", "finished_at", "status")[:DURATION_SAMPLE]
    )
    seconds = sorted((done - made).total_seconds() for made, done, _ in finished)
    by_status = {status: 0 for status in Submission.FINAL}
    for _, _, status in finished:
        by_status[status] = by_status.get(status, 0) + 1
    by_worker = list(
        Verdict.objects.filter(created_at__gte=since)
        .values("worker")
        .annotate(verdicts=Count("id"))
        .order_by("-verdicts", "worker")
    )
    recent_errors = Verdict.objects.filter(created_at__gte=since, status=Submission.Status.ERROR)
    outages = list(
        recent_errors.filter(message=SUBMISSIONS.unavailable_message)
        .select_related("submission__user", "submission__exercise")
        .order_by("-created_at")[:RECENT_ROWS]
    )
    crashed = list(
        recent_errors.filter(message=SUBMISSIONS.crashed_message)
        .select_related("submission__user", "submission__exercise")
        .order_by("-created_at")[:RECENT_ROWS]
    )
    other_failures = {
        "regrade_items": RegradeItem.objects.filter(finished_at__gte=since, status=RegradeItem.Status.FAILED).count(),
        "validations": ExerciseValidation.objects.filter(
            finished_at__gte=since, status=ExerciseValidation.Status.ERROR
        ).count(),
    }
    return {
        "redis": redis,
        "queue_depth": queue_depth,
        "queue": settings.CELERY_TASK_DEFAULT_QUEUE,
        "pending": pending,
        "workers": workers,
        "verdicts": {
            "count": len(finished),
            "sampled": len(finished) == DURATION_SAMPLE,
            "by_status": by_status,
            "p50_seconds": _percentile(seconds, 0.50),
            "p95_seconds": _percentile(seconds, 0.95),
            "by_worker": by_worker,
        },
        "outages": outages,
        "crashed": crashed,
        "other_failures": other_failures,
    }
