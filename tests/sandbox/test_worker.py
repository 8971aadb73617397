"""Web submissions graded by a real Celery worker (its own process) over Redis, in real
Docker containers."""

import pytest
from django.test import Client

from sandbox.models import Submission
from sandbox.services import submission_claim, submission_record
from tests.conftest import PASSWORD, solution_files, starter_files, wait_for_verdict

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def submit(client: Client, exercise, files):
    data = {f"file:{path}": text for path, text in files.items()}
    response = client.post(
        f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/submit/", data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize("slug", ["flask-hello", "django-hello"])
def test_the_worker_fails_the_starter_and_passes_the_solution(slug, course, learner, celery_worker):
    exercise = course.exercises.get(slug=slug)
    client = Client()
    client.login(username="learner", password=PASSWORD)

    starter = wait_for_verdict(submit(client, exercise, starter_files(slug, exercise.editable)))
    assert starter.status == "fail", starter.result
    assert any(t["status"] == "fail" and t["message"] for t in starter.result["tests"])

    solution = wait_for_verdict(submit(client, exercise, solution_files(slug)))
    assert solution.status == "pass", solution.result
    assert solution.attempts == 1
    assert solution.exercise_version == exercise.version

    status = client.get(f"/submissions/{solution.id}/status/").json()
    assert status["final"] and status["status"] == "pass"
    assert "All 4 tests passed" in status["html"]


def test_a_verdict_is_recorded_once_however_often_the_task_runs(course, learner, celery_worker):
    from sandbox.tasks import grade_submission

    exercise = course.exercises.get(slug="flask-hello")
    client = Client()
    client.login(username="learner", password=PASSWORD)
    submission_id = submit(client, exercise, solution_files("flask-hello"))
    grade_submission.delay(submission_id)  # a duplicate delivery
    submission = wait_for_verdict(submission_id)
    assert submission.status == "pass"
    assert submission.attempts == 1
    # A late duplicate can neither claim nor overwrite the verdict.
    assert submission_claim(submission_id=submission_id) is False
    assert submission_record(submission_id=submission_id, result={"status": "fail"}) is False
    assert Submission.objects.get(id=submission_id).status == "pass"
