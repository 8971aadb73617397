"""Faults in the queue: a lost message, a broker that is down when a learner submits, a
worker that died holding a row. Every submission still reaches exactly one verdict,
through the real worker, Redis and Docker."""

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from sandbox import services
from sandbox.models import Submission
from tests.conftest import PASSWORD, on_postgresql, solution_files, wait_for_verdict

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def long_ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def use_broker(app, url: str) -> None:
    """Point this process's Celery app at another broker, dropping pooled connections."""
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection, process-wide
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_a_submission_whose_message_was_lost_is_swept_and_graded(course, learner, celery_worker):
    exercise = course.exercises.get(slug="flask-hello")
    # A row with no message anywhere: as if Redis restarted and lost it.
    lost = Submission.objects.create(
        user=learner,
        exercise=exercise,
        exercise_version=exercise.version,
        files=solution_files("flask-hello"),
        enqueued_at=long_ago(600),
    )
    fresh = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files={}, enqueued_at=timezone.now()
    )
    swept = services.submissions_sweep()
    assert swept == {"queued": 1, "stuck": 0, "capped": 0, "sent": 1}
    graded = wait_for_verdict(lost.id)
    assert graded.status == "pass" and graded.attempts == 1
    fresh.refresh_from_db()
    assert fresh.status == "queued", "a row enqueued a moment ago is left to its message"


def test_a_row_held_by_a_dead_worker_is_taken_over_after_its_lease(course, learner, celery_worker):
    exercise = course.exercises.get(slug="flask-hello")
    stuck = Submission.objects.create(
        user=learner,
        exercise=exercise,
        exercise_version=exercise.version,
        files=solution_files("flask-hello"),
        status=Submission.Status.RUNNING,
        attempts=1,
        started_at=long_ago(10_000),
        enqueued_at=long_ago(10_000),
    )
    assert services.submissions_sweep()["stuck"] == 1
    graded = wait_for_verdict(stuck.id)
    assert graded.status == "pass"
    assert graded.attempts == 2, "the second claim took over the abandoned row"


def test_a_broker_outage_at_submit_keeps_the_submission_and_the_sweeper_sends_it_later(
    course, learner, celery_worker, redis_server
):
    from course.celery import app

    client = Client()
    client.login(username="learner", password=PASSWORD)
    data = {f"file:{path}": text for path, text in solution_files("flask-hello").items()}
    working_broker = app.conf.broker_url
    use_broker(app, "redis://127.0.0.1:1/0")  # nothing listens there: the broker is down
    try:
        response = client.post(
            f"/courses/{course.slug}/exercises/flask-hello/submit/", data, HTTP_ACCEPT="application/json"
        )
    finally:
        use_broker(app, working_broker)
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(id=response.json()["id"])
    assert submission.status == "queued" and submission.files == solution_files("flask-hello")

    with override_settings(JOB_SWEEP_AFTER_SECONDS=0):
        assert services.submissions_sweep()["sent"] >= 1
    assert wait_for_verdict(submission.id).status == "pass"


def test_an_unreachable_docker_engine_puts_the_row_back_and_ends_in_a_clear_error(course, learner, monkeypatch):
    from sandbox import tasks
    from sandbox.runner import SandboxUnavailable
    from sandbox.tasks import grade_submission

    exercise = course.exercises.get(slug="flask-hello")
    row = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files=solution_files("flask-hello")
    )
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")  # the engine is gone
    with pytest.raises(SandboxUnavailable):
        services.submission_grade(submission_id=row.id)
    row.refresh_from_db()
    assert row.status == "queued", "the row went back to the queue for a retry"
    # When the retries run out, the learner gets one clear error, never a silent loss;
    # the outages cost no attempt.
    monkeypatch.setattr(tasks, "SANDBOX_RETRIES", 2)
    assert grade_submission.apply(args=[row.id]).get() == "error: sandbox unavailable"
    row.refresh_from_db()
    assert row.status == "error" and "sandbox is unavailable" in row.message
    assert row.attempts == 1, "only the last try, which ended the row, holds a claim"


def test_a_container_that_cannot_start_is_an_outage_not_a_verdict(course, learner, settings, docker_engine):
    from sandbox.runner import SandboxUnavailable

    exercise = course.exercises.get(slug="flask-hello")
    settings.SANDBOX_IMAGES = {**settings.SANDBOX_IMAGES, "flask": "duet-sandbox-missing:never"}
    row = Submission.objects.create(user=learner, exercise=exercise, exercise_version=exercise.version, files={})
    with pytest.raises(SandboxUnavailable, match="image duet-sandbox-missing:never is missing"):
        services.submission_grade(submission_id=row.id)
    row.refresh_from_db()
    assert row.status == "queued"


def test_a_briefly_locked_database_delays_the_verdict_but_loses_nothing(course, learner, celery_worker):
    import threading

    from django.db import connections

    client = Client()
    client.login(username="learner", password=PASSWORD)
    data = {f"file:{path}": text for path, text in solution_files("flask-hello").items()}
    response = client.post(
        f"/courses/{course.slug}/exercises/flask-hello/submit/", data, HTTP_ACCEPT="application/json"
    )
    submission_id = response.json()["id"]

    def hold_the_write_lock():
        # A connection of its own: SQLite's write lock on the whole file, PostgreSQL's
        # lock on the submissions table; every other writer waits for it.
        connection = connections.create_connection("default")
        try:
            with connection.cursor() as cursor:
                if on_postgresql():
                    cursor.execute("BEGIN")
                    cursor.execute("LOCK TABLE sandbox_submission IN EXCLUSIVE MODE")
                else:
                    cursor.execute("BEGIN IMMEDIATE")
                time.sleep(3)
                cursor.execute("COMMIT")
        finally:
            connection.close()

    locker = threading.Thread(target=hold_the_write_lock)
    locker.start()
    graded = wait_for_verdict(submission_id)
    locker.join()
    assert graded.status == "pass" and graded.attempts == 1
