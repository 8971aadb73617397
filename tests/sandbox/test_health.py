"""The operator's view: /healthz (the database, Redis and each worker's heartbeat) and
the staff status page (queue, workers, the last hour's verdicts and errors)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sandbox import heartbeat
from sandbox.models import Submission, Verdict
from sandbox.services.submissions import SUBMISSIONS
from tests.conftest import PASSWORD, signed_in, solution_files, wait_for_verdict


def fake_worker(redis_server, node: str, *, ok: bool = True, running: str | None = None) -> None:
    state = {
        "node": node,
        "host": "host-a",
        "pid": 1,
        "at": time.time(),
        "started": time.time(),
        "concurrency": 2,
        "pool_size": 1,
        "queue": "q",
        "engine": {
            "ok": ok,
            "error": "" if ok else "the Docker engine does not answer: gone",
            "images": {"flask": "sha256:1" if ok else None, "django": "sha256:2"},
            "warm": 2,
            "runtime": "runc",
            "version": "28.2.2",
        },
    }
    redis_server.set(heartbeat.WORKER_PREFIX + node, json.dumps(state), ex=30)
    if running:
        redis_server.set(
            f"{heartbeat.RUNNING_PREFIX}{node}:77", json.dumps({"job": running, "since": time.time() - 3}), ex=30
        )


@pytest.fixture
def no_workers(redis_server):
    def clear():
        for prefix in (heartbeat.WORKER_PREFIX, heartbeat.RUNNING_PREFIX):
            for key in redis_server.scan_iter(match=prefix + "test-node-*"):
                redis_server.delete(key)

    clear()
    yield
    clear()


def test_healthz_says_ok_with_a_worker_whose_engine_works(db, redis_server, no_workers):
    fake_worker(redis_server, "test-node-a@host-a")
    response = Client().get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    report = response.json()
    assert report["database"]["ok"] and report["redis"]["ok"]
    worker = next(w for w in report["workers"] if w["node"] == "test-node-a@host-a")
    assert worker["engine"]["ok"] and worker["images"] == {"flask": True, "django": True}
    assert worker["pool"] == {"size": 1, "warm": 2}
    assert report["status"] == "ok"


def test_healthz_names_a_worker_whose_engine_is_gone(db, redis_server, no_workers):
    fake_worker(redis_server, "test-node-b@host-b", ok=False)
    report = Client().get("/healthz").json()
    broken = next(w for w in report["workers"] if w["node"] == "test-node-b@host-b")
    assert broken["engine"]["error"].startswith("the Docker engine does not answer")
    assert broken["images"]["flask"] is False


def test_healthz_is_503_when_redis_does_not_answer(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "down" and not report["redis"]["ok"] and report["database"]["ok"]


def test_healthz_answers_any_host_name_over_plain_http(db, redis_server, settings):
    """A load balancer's or compose's check comes by an address ALLOWED_HOSTS need not
    list, and over HTTP behind a TLS proxy: neither a 400 nor a redirect."""
    settings.ALLOWED_HOSTS = ["duet.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz", HTTP_HOST="web:8000")
    assert response.status_code == 200
    assert Client().post("/healthz").status_code == 405
    # Every other page still checks the host name.
    assert Client().get("/", HTTP_HOST="web:8000").status_code == 400


def test_the_status_page_is_for_the_sites_staff_only(course, learner, grader, instructor):
    assert Client().get("/staff/status/").status_code == 302  # to the login page
    for person in ("learner", "grader", "instructor"):
        client = signed_in(person)
        assert client.get("/staff/status/").status_code == 403
        assert "/staff/status/" not in client.get("/").content.decode()  # no link to it either


def verdict_rows(course, learner, count: int, message: str = "", status: str = "pass", worker: str = "w1") -> None:
    exercise = course.exercises.get(slug="flask-hello")
    now = timezone.now()
    for i in range(count):
        submission = Submission.objects.create(
            user=learner, exercise=exercise, exercise_version=exercise.version, files={}, status=status
        )
        Submission.objects.filter(id=submission.id).update(
            created_at=now - timedelta(seconds=10), finished_at=now - timedelta(seconds=10 - (i + 1) * 0.1)
        )
        Verdict.objects.create(submission=submission, status=status, message=message, exercise_version=1, worker=worker)


def test_the_status_page_counts_the_hour_in_a_fixed_number_of_queries(
    course, learner, redis_server, no_workers, django_assert_max_num_queries
):
    staff = signed_in("learner")
    learner.is_staff = True
    learner.save(update_fields=["is_staff"])
    fake_worker(redis_server, "test-node-c@host-c", running="submission 41")
    verdict_rows(course, learner, 3)
    with django_assert_max_num_queries(12) as few:
        staff.get("/staff/status/")
    verdict_rows(course, learner, 20, worker="w2")
    verdict_rows(course, learner, 4, message=SUBMISSIONS.unavailable_message, status="error", worker="")
    verdict_rows(course, learner, 2, message=SUBMISSIONS.crashed_message, status="error")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff.get("/staff/status/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "test-node-c@host-c" in page and "submission 41, 3" in page
    status = response.context["status"]
    assert status["verdicts"]["count"] == 29
    assert status["verdicts"]["by_status"] == {"pass": 23, "fail": 0, "error": 6}
    assert {row["worker"]: row["verdicts"] for row in status["verdicts"]["by_worker"]} == {"w1": 5, "w2": 20, "": 4}
    assert len(status["outages"]) == 4 and len(status["crashed"]) == 2
    # Durations of 0.1 … 2.0 s (and the others'): the median and 95th percentile by rank.
    durations = sorted(
        [0.1 * (i + 1) for i in range(3)]
        + [0.1 * (i + 1) for i in range(20)]
        + [0.1 * (i + 1) for i in range(4)]
        + [0.1 * (i + 1) for i in range(2)]
    )
    assert status["verdicts"]["p50_seconds"] == pytest.approx(durations[14], abs=0.01)
    assert status["verdicts"]["p95_seconds"] == pytest.approx(durations[27], abs=0.01)


@pytest.mark.docker
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_beats_and_signs_the_verdicts_it_gives(course, learner, celery_worker, celery_queue):
    client = Client()
    assert client.login(username="learner", password=PASSWORD)
    deadline = time.monotonic() + 30
    mine = []
    while not mine and time.monotonic() < deadline:
        mine = [w for w in Client().get("/healthz").json()["workers"] if w["node"].startswith(f"{celery_queue}@")]
        time.sleep(0.5)
    assert mine, "the test worker never reported on /healthz"
    assert mine[0]["engine"]["ok"] and all(mine[0]["images"].values())
    assert mine[0]["seen_seconds_ago"] < heartbeat.STALE_SECONDS

    data = {f"file:{path}": text for path, text in solution_files("flask-hello").items()}
    response = client.post(
        f"/courses/{course.slug}/exercises/flask-hello/submit/", data, HTTP_ACCEPT="application/json"
    )
    graded = wait_for_verdict(response.json()["id"])
    assert graded.verdict.worker == mine[0]["node"]
    assert heartbeat.check(mine[0]["node"]) is None
    assert (
        heartbeat.check("nobody@nowhere") == f"no heartbeat from nobody@nowhere in the last {heartbeat.STALE_SECONDS} s"
    )
