"""A regrade through the real queue: a Celery worker in its own process, Redis, and the
sandbox in Docker. Submissions are graded; the exercise's tests change (a new version);
the regrade gives every graded submission a new verdict with the new tests, keeps the old
ones, and leaves a learner's waiting submission alone."""

import time

import pytest
from django.db.models import F
from django.test import Client

from lessons.models import ExerciseFile
from sandbox.models import Regrade, Submission, Verdict
from sandbox.services import submission_create
from tests.conftest import PASSWORD, solution_files, starter_files, wait_for_verdict

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STRICTER_TEST = '''
def test_about_page_answers(client):
    """GET /about answers 200 OK"""
    response = client.get("/about")
    assert response.status_code == 200, f"GET /about answered {response.status_code}, expected 200."
'''


def wait_for_regrade(regrade_id: int, timeout: float = 120) -> Regrade:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        regrade = Regrade.objects.get(id=regrade_id)
        if regrade.finished_at is not None:
            return regrade
        time.sleep(0.2)
    raise AssertionError(f"regrade {regrade_id} did not finish within {timeout} s")


def test_a_regrade_after_the_tests_change_adds_a_verdict_to_every_graded_submission(
    course, learner, other_learner, grader, celery_worker
):
    exercise = course.exercises.get(slug="flask-hello")
    solution = wait_for_verdict(
        submission_create(user=learner, exercise=exercise, files=solution_files("flask-hello")).id
    )
    starter = wait_for_verdict(
        submission_create(
            user=other_learner, exercise=exercise, files=starter_files("flask-hello", exercise.editable)
        ).id
    )
    assert (solution.status, starter.status) == ("pass", "fail")
    # Waiting for its first verdict (its message not sent): the regrade must leave it be.
    waiting = Submission.objects.create(
        user=other_learner, exercise=exercise, exercise_version=exercise.version, files=solution_files("flask-hello")
    )

    # The tests change: a new test file, a new version.
    ExerciseFile.objects.create(exercise=exercise, kind="tests", path="test_about.py", content=STRICTER_TEST)
    type(exercise).objects.filter(id=exercise.id).update(version=F("version") + 1)
    exercise.refresh_from_db()

    client = Client()
    assert client.login(username="grader", password=PASSWORD)
    response = client.post(f"/courses/{course.slug}/exercises/{exercise.slug}/regrade/")
    assert response.status_code == 302
    regrade = Regrade.objects.get()
    assert (regrade.total, regrade.skipped_pending, regrade.version) == (2, 1, exercise.version)
    assert client.get(f"/regrades/{regrade.id}/status/").json()["total"] == 2

    wait_for_regrade(regrade.id)

    for submission, before in ((solution, "pass"), (starter, "fail")):
        history = list(Verdict.objects.filter(submission=submission).order_by("id"))
        assert [(v.status, v.exercise_version, v.regrade_id) for v in history] == [
            (before, exercise.version - 1, None),
            ("fail", exercise.version, regrade.id),
        ]
        assert any("/about" in t["name"] and t["status"] == "fail" for t in history[1].result["tests"])
        submission.refresh_from_db()
        assert submission.status == "fail" and submission.attempts == 1  # its own queue state untouched
    progress = client.get(f"/regrades/{regrade.id}/status/").json()
    assert (progress["finished"], progress["changed"], progress["complete"]) == (2, 1, True)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, waiting.enqueued_at) == ("queued", 0, None)
    assert not Verdict.objects.filter(submission=waiting).exists()

    page = Client()
    page.login(username="learner", password=PASSWORD)
    text = page.get(f"/submissions/{solution.id}/").text
    assert "Regraded" in text and "Graded" in text  # both verdicts in the learner's history
