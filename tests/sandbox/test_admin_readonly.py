"""The admin shows verdicts but cannot change them: a verdict changes only through the
grader's override, which writes the audit log."""

import pytest
from django.contrib.auth import get_user_model

from sandbox.models import Regrade, RegradeItem, Submission, Verdict, VerdictOverride
from tests.conftest import PASSWORD, signed_in
from tests.course.helpers import graded


@pytest.fixture
def admin_client(db):
    get_user_model().objects.create_superuser(username="admin", password=PASSWORD)
    return signed_in("admin")


@pytest.fixture
def submission(course, learner):
    return graded(learner, course.exercises.get(slug="flask-hello"), "fail")


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_the_admin_cannot_change_a_submissions_verdict(admin_client, submission):
    before = Submission.objects.filter(pk=submission.pk).values().get()
    page = admin_client.get(change_url(submission))
    assert page.status_code == 200  # staff still look it up
    assert 'name="status"' not in page.text and 'name="override_status"' not in page.text
    response = admin_client.post(
        change_url(submission),
        {
            "user": submission.user_id,
            "exercise": submission.exercise_id,
            "exercise_version": submission.exercise_version,
            "files": '{"app.py": "x"}',
            "status": "pass",
            "override_status": "pass",
            "message": "All tests passed.",
            "result": '{"status": "pass", "tests": []}',
            "attempts": 1,
        },
    )
    assert response.status_code in (302, 403)
    assert Submission.objects.filter(pk=submission.pk).values().get() == before
    assert not VerdictOverride.objects.exists()


def test_the_admin_cannot_change_or_delete_a_verdict(admin_client, submission):
    verdict = Verdict.objects.filter(submission=submission).latest("id")
    before = Verdict.objects.filter(pk=verdict.pk).values().get()
    admin_client.post(
        change_url(verdict),
        {"submission": submission.pk, "status": "pass", "message": "ok", "result": "{}", "exercise_version": 1},
    )
    admin_client.post(change_url(verdict).replace("/change/", "/delete/"), {"post": "yes"})
    assert Verdict.objects.filter(pk=verdict.pk).values().get() == before


def test_the_admin_cannot_change_a_regrade_item(admin_client, submission):
    exercise = submission.exercise
    regrade = Regrade.objects.create(exercise=exercise, version=exercise.version, total=1)
    item = RegradeItem.objects.create(regrade=regrade, submission=submission, previous_status="fail")
    before = RegradeItem.objects.filter(pk=item.pk).values().get()
    admin_client.post(change_url(item), {"status": "pass", "message": "ok", "previous_status": "pass"})
    assert RegradeItem.objects.filter(pk=item.pk).values().get() == before


def test_the_admin_cannot_change_what_grades_an_exercise(admin_client, course):
    """Framework, entrypoint, editable files, limits and setup change only through the
    authoring form or an import, which make a new version that must validate."""
    exercise = course.exercises.get(slug="flask-hello")
    page = admin_client.get(change_url(exercise))
    assert page.status_code == 200
    form = page.context["adminform"].form
    for name in ("framework", "entrypoint", "editable", "limits", "setup"):
        assert name not in form.fields, f"{name} is editable in the admin"
