"""Scaling out is Celery's: two workers (two processes with their own node names, as two
hosts would run them) share a burst of 50 submissions from 50 learners; each verdict
names the worker that gave it, and none is lost or graded twice."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from course.celery import app
from course.models import Enrollment
from sandbox.models import Submission, Verdict
from sandbox.services import submission_create
from tests.conftest import _person, solution_files, start_celery_worker, stop_celery_worker, wait_for_verdict

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LEARNERS = 50


def test_a_burst_is_shared_by_two_workers_and_each_submission_graded_once(
    course, docker_engine, redis_server, tmp_path, capsys
):
    queue = f"duet-test-two-{int(time.time())}"
    nodes = [f"{queue}-a@host", f"{queue}-b@host"]
    workers = [
        start_celery_worker(queue, tmp_path / f"worker-{i}.log", {"DUET_SANDBOX_POOL": "1"}, node=node)
        for i, node in enumerate(nodes)
    ]
    before, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        exercise = course.exercises.get(slug="flask-hello")
        people = [_person(f"burst-{i:02}", course, Enrollment.Role.LEARNER) for i in range(LEARNERS)]
        started = time.monotonic()
        ids = [
            submission_create(user=person, exercise=exercise, files=solution_files("flask-hello")).id
            for person in people
        ]
        graded = [wait_for_verdict(i, timeout=300) for i in ids]
        seconds = time.monotonic() - started
    finally:
        app.conf.task_default_queue = before
        for worker in workers:
            stop_celery_worker(worker)

    assert [s.status for s in graded] == ["pass"] * LEARNERS, [s.result.get("message") for s in graded]
    assert all(s.attempts == 1 for s in graded)
    per_submission = Counter(Verdict.objects.filter(submission_id__in=ids).values_list("submission_id", flat=True))
    assert set(per_submission) == set(ids) and set(per_submission.values()) == {1}  # none lost, none twice
    split = Counter(Verdict.objects.filter(submission_id__in=ids).values_list("worker", flat=True))
    with capsys.disabled():  # the figure, in the run's own output
        print(f"\n[two workers] {LEARNERS} submissions in {seconds:.1f} s; verdicts per worker: {dict(split)}")
    assert set(split) == set(nodes), split  # both took a share
    assert Submission.objects.filter(id__in=ids, status__in=Submission.PENDING).count() == 0
