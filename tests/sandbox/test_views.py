"""Submitting and viewing submissions: only the owner (or the course's graders and
instructors) may see one; bad input gets a clear message; CSRF is enforced."""

import pytest
from django.test import Client

from sandbox.models import Submission
from tests.conftest import PASSWORD, signed_in


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def submission(exercise, learner):
    return Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=1, files={"app.py": "secret = 42\n"}
    )


def submit_url(exercise):
    return f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/submit/"


def test_the_owner_sees_their_submission(submission):
    client = signed_in("learner")
    page = client.get(f"/submissions/{submission.id}/")
    assert page.status_code == 200 and "secret" in page.text
    assert client.get(f"/submissions/{submission.id}/status/").json()["status"] == "queued"


def test_another_learner_cannot_see_it(submission, other_learner):
    client = signed_in("other-learner")
    assert client.get(f"/submissions/{submission.id}/").status_code == 404
    assert client.get(f"/submissions/{submission.id}/status/").status_code == 404


def test_an_anonymous_user_is_sent_to_log_in(client, submission):
    for url in (f"/submissions/{submission.id}/", f"/submissions/{submission.id}/status/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_courses_grader_may_see_it(submission, grader):
    assert signed_in("grader").get(f"/submissions/{submission.id}/").status_code == 200


def test_an_unknown_submission_is_a_404(learner):
    assert signed_in("learner").get("/submissions/999999/").status_code == 404


def test_an_outsider_cannot_submit(exercise, outsider, django_capture_on_commit_callbacks):
    response = signed_in("outsider").post(submit_url(exercise), {"file:app.py": "x = 1"})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_submitting_needs_a_csrf_token(exercise, learner):
    client = Client(enforce_csrf_checks=True)
    client.login(username="learner", password=PASSWORD)
    assert client.post(submit_url(exercise), {"file:app.py": "x = 1"}).status_code == 403


def test_a_file_that_is_not_editable_is_refused_and_nothing_is_lost(exercise, submission):
    client = signed_in("learner")
    response = client.post(
        submit_url(exercise), {"file:app.py": "x = 1", "file:conftest.py": "boom"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "conftest.py" in response.json()["error"]
    assert list(Submission.objects.values_list("id", flat=True)) == [submission.id]
    # The editor still holds the learner's last saved attempt.
    assert "secret = 42" in client.get(exercise.get_absolute_url()).text


def test_a_submission_without_javascript_redirects_to_its_page(exercise, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = signed_in("learner").post(submit_url(exercise), {"file:app.py": "x = 1"})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/submissions/{submission.id}/"


def test_an_earlier_attempt_can_be_reopened_in_the_editor(exercise, learner):
    first = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=1, files={"app.py": "first = 1\n"}
    )
    Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={"app.py": "second = 2\n"})
    client = signed_in("learner")
    assert "second = 2" in client.get(exercise.get_absolute_url()).text
    page = client.get(f"{exercise.get_absolute_url()}?from={first.id}").text
    assert "first = 1" in page and "second = 2" not in page
