"""The status streams (Server-Sent Events) over the ASGI handler, on the real Redis: the
current state first, then each change the job's lifecycle publishes, until it is final;
refused to whoever the status views refuse; and publishing that never fails its caller."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connections
from django.test import AsyncClient, Client
from django.urls import reverse

from sandbox import events, streams
from sandbox.models import ExerciseValidation, Regrade, Submission
from sandbox.services import jobs, submission_grade, submission_record
from sandbox.services.submissions import SubmissionJob
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_thread(function):
    """Run ``function`` in a thread of its own, as a server would: async_to_sync (the test
    clients' way to call an async view) refuses a thread with a running event loop, and
    the browser tests' Playwright leaves one in this one."""

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _dead_redis_url() -> str:
    """A Redis URL where nothing listens (a port just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def submission(exercise, learner):
    return Submission.objects.create(user=learner, exercise=exercise, exercise_version=exercise.version, files={})


async def _events(response, count: int) -> list[dict]:
    """The next ``count`` data events of a streaming response (heartbeats skipped)."""
    found: list[dict] = []
    buffer = b""
    chunks = aiter(response.streaming_content)
    while len(found) < count:
        buffer += await asyncio.wait_for(anext(chunks), timeout=10)
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            found += [json.loads(line[6:]) for line in block.split(b"\n") if line.startswith(b"data: ")]
    return found


async def _ended(response) -> bool:
    try:
        await asyncio.wait_for(anext(aiter(response.streaming_content)), timeout=5)
    except StopAsyncIteration:
        return True
    return False


def test_the_stream_sends_the_state_then_each_change_until_the_verdict(submission, learner, redis_server, monkeypatch):
    graded = threading.Event()

    def grade(self, job, exercise):  # the sandbox, held until the page has seen "running"
        assert graded.wait(10)
        return jobs.Outcome(
            {"version": 2, "status": "pass", "message": "All good.", "tests": []}, exercise.version, "pass"
        )

    monkeypatch.setattr(SubmissionJob, "grade", grade)

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(learner)
        response = await client.get(reverse("sandbox:stream", args=[submission.id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        assert response["Cache-Control"] == "no-store"
        [first] = await _events(response, 1)
        assert (first["status"], first["final"]) == ("queued", False)
        assert 'data-status="queued"' in first["html"]

        # The worker's job, in a thread of its own: claim, grade, record, each published.
        run = asyncio.ensure_future(
            sync_to_async(submission_grade, thread_sensitive=False)(submission_id=submission.id)
        )
        [running] = await _events(response, 1)
        assert running["status"] == "running"
        graded.set()
        [final] = await _events(response, 1)
        assert (final["status"], final["final"]) == ("pass", True)
        assert "attempts_html" in final  # the same JSON the status view answers
        assert await _ended(response)
        assert await run == "pass"

    in_a_thread(watch)


def test_a_stream_opened_after_the_verdict_sends_it_and_ends(submission, learner, redis_server):
    Submission.objects.filter(id=submission.id).update(status="running")
    submission_record(
        submission_id=submission.id, result={"version": 2, "status": "fail", "message": "No.", "tests": []}
    )

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(learner)
        response = await client.get(reverse("sandbox:stream", args=[submission.id]))
        [state] = await _events(response, 1)
        assert (state["status"], state["final"]) == ("fail", True)
        assert await _ended(response)

    in_a_thread(watch)


def test_a_quiet_stream_sends_heartbeats(submission, learner, redis_server, monkeypatch):
    monkeypatch.setattr(streams, "HEARTBEAT_SECONDS", 0.2)

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(learner)
        response = await client.get(reverse("sandbox:stream", args=[submission.id]))
        chunks = aiter(response.streaming_content)
        assert b'"status":"queued"' in await anext(chunks)
        assert await asyncio.wait_for(anext(chunks), timeout=5) == b": heartbeat\n\n"

    in_a_thread(watch)


def test_without_redis_the_stream_sends_the_state_and_asks_the_browser_to_reconnect(submission, learner, settings):
    settings.REDIS_URL = _dead_redis_url()

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(learner)
        response = await client.get(reverse("sandbox:stream", args=[submission.id]))
        assert response.status_code == 200
        body = b"".join([chunk async for chunk in response.streaming_content])
        assert body.startswith(b"retry: ")
        assert b'"status":"queued"' in body

    in_a_thread(watch)


def test_the_validation_stream_tells_of_a_claim(course, instructor, redis_server):
    from sandbox.services.jobs import job_claim
    from sandbox.services.validations import VALIDATIONS

    exercise = course.exercises.get(slug="flask-hello")
    validation = ExerciseValidation.objects.create(exercise=exercise, version=exercise.version, requested_by=instructor)
    url = reverse("lessons:author_validation_stream", args=[course.slug, exercise.slug, validation.id])

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(instructor)
        response = await client.get(url)
        [first] = await _events(response, 1)
        assert first["status"] == "queued"
        assert await sync_to_async(job_claim)(VALIDATIONS, validation.id)
        [running] = await _events(response, 1)
        assert running["status"] == "running"

    in_a_thread(watch)


def test_the_regrade_stream_ends_when_the_regrade_is_complete(course, grader, redis_server):
    from sandbox.services.regrades import regrade_finish_if_done

    exercise = course.exercises.get(slug="flask-hello")
    regrade = Regrade.objects.create(exercise=exercise, version=exercise.version, requested_by=grader)

    @async_to_sync
    async def watch():
        client = AsyncClient()
        await client.aforce_login(grader)
        response = await client.get(reverse("sandbox:regrade_stream", args=[regrade.id]))
        [first] = await _events(response, 1)
        assert first["complete"] is False
        assert await sync_to_async(regrade_finish_if_done)(regrade_id=regrade.id)
        [done] = await _events(response, 1)
        assert done["complete"] is True
        assert await _ended(response)

    in_a_thread(watch)


# --- Who may watch: exactly who may read the status ---------------------------------------


def _status(url: str, username: str | None) -> int:
    """The HTTP status a stream answers ``username`` (None: nobody signed in)."""
    client = signed_in(username) if username else Client()
    return in_a_thread(lambda: client.get(url).status_code)


def test_it_refuses_another_learners_submission_stream(submission, other_learner, outsider, grader):
    url = reverse("sandbox:stream", args=[submission.id])
    assert _status(url, "other-learner") == 404
    assert _status(url, "outsider") == 404
    assert _status(url, None) == 302  # to the login page


def test_it_refuses_a_regrade_stream_to_learners_and_other_courses_graders(course, learner, grader, other_grader):
    exercise = course.exercises.get(slug="flask-hello")
    regrade = Regrade.objects.create(exercise=exercise, version=exercise.version, requested_by=grader)
    url = reverse("sandbox:regrade_stream", args=[regrade.id])
    assert _status(url, "learner") == 404
    assert _status(url, "other-grader") == 404


def test_it_refuses_a_validation_stream_to_all_but_the_courses_authors(course, learner, grader, other_instructor):
    exercise = course.exercises.get(slug="flask-hello")
    validation = ExerciseValidation.objects.create(exercise=exercise, version=exercise.version)
    url = reverse("lessons:author_validation_stream", args=[course.slug, exercise.slug, validation.id])
    for person in ("learner", "grader", "other-instructor"):
        assert _status(url, person) == 404, person


def test_under_wsgi_a_stream_is_refused_after_the_same_checks(submission, learner, outsider):
    url = reverse("sandbox:stream", args=[submission.id])
    assert _status(url, "outsider") == 404
    assert _status(url, "learner") == 503  # the page polls instead


# --- Publishing ------------------------------------------------------------------------------


def test_publishing_with_redis_down_logs_and_goes_on(settings, caplog):
    settings.REDIS_URL = _dead_redis_url()
    with caplog.at_level(logging.WARNING, logger="sandbox.events"):
        assert events.publish(events.submission_channel(1)) is False
    assert "could not publish to duet:submission:1" in caplog.text


def test_a_verdict_is_recorded_with_redis_down(submission, settings, caplog, monkeypatch):
    settings.REDIS_URL = _dead_redis_url()
    outcome = jobs.Outcome({"version": 2, "status": "pass", "message": "", "tests": []}, 1, "pass")
    monkeypatch.setattr(SubmissionJob, "grade", lambda self, job, exercise: outcome)
    with caplog.at_level(logging.WARNING, logger="sandbox.events"):
        assert submission_grade(submission_id=submission.id) == "pass"
    assert Submission.objects.get(id=submission.id).status == "pass"
    # Claimed, then recorded: each told to no one, and said so.
    assert caplog.text.count(f"could not publish to duet:submission:{submission.id}") == 2


def test_publishing_reaches_a_subscriber(redis_server):
    pubsub = redis_server.pubsub()
    pubsub.subscribe(events.regrade_channel(7))
    pubsub.get_message(timeout=1)  # the subscription's own message
    assert events.publish(events.regrade_channel(7), {"status": "done"})
    message = pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
    pubsub.close()
    assert message is not None and json.loads(message["data"]) == {"status": "done"}
