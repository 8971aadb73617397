"""In headless Chromium, with the real worker: a grader starts a regrade after the
exercise's tests changed and watches its progress bar fill without reloading by hand;
the finished page lists the verdict that changed."""

import pytest
from django.db.models import F

from lessons.models import ExerciseFile
from sandbox.models import Regrade
from sandbox.services import submission_create
from tests.browser.test_grader_review import log_in
from tests.conftest import solution_files, wait_for_verdict
from tests.sandbox.test_regrade_worker import STRICTER_TEST

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_grader_watches_a_regrade_finish(page, live_server, course, learner, grader, celery_worker):
    exercise = course.exercises.get(slug="flask-hello")
    solution = wait_for_verdict(
        submission_create(user=learner, exercise=exercise, files=solution_files("flask-hello")).id
    )
    assert solution.status == "pass"
    ExerciseFile.objects.create(exercise=exercise, kind="tests", path="test_about.py", content=STRICTER_TEST)
    type(exercise).objects.filter(id=exercise.id).update(version=F("version") + 1)

    log_in(page, live_server, "grader")
    page.goto(f"{live_server.url}/courses/{course.slug}/gradebook/")
    page.click(f'th.exercise-head a[aria-label="Regrade {exercise.slug}"]')
    page.click("button:has-text('Regrade 1 submission')")
    page.wait_for_url("**/regrades/*/")
    assert page.locator("#regrade-bar").count() == 1
    # gradebook.js polls the status and reloads the page once the regrade is done.
    page.wait_for_selector("#regrade[data-complete=true]", timeout=60000)
    assert page.get_attribute("#regrade-bar", "value") == "1"
    assert "1 of 1 regraded (100%)" in page.inner_text("#regrade-text")
    changed = page.inner_text("table.plain tbody")
    assert "learner" in changed and "Passed" in changed and "Failed" in changed
    assert Regrade.objects.get().finished_at is not None
