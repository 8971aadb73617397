"""In headless Chromium: when the server refuses a submission, the exercise page says why
in the server's own words (JSON), or what the status means (any other answer), and keeps
the code in the editor; "could not be reached" is only for no answer at all."""

import pytest

from lessons.models import Exercise
from sandbox.models import Submission
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_exercise(page, live_server, course):
    log_in(page, live_server, "learner")
    exercise = course.exercises.get(slug="flask-hello")
    page.goto(f"{live_server.url}{exercise.get_absolute_url()}")
    page.wait_for_selector(".ace-holder .ace_content")
    return exercise


def test_a_submission_too_large_shows_the_servers_413_message(page, live_server, course, learner, settings):
    settings.SUBMISSION_MAX_REQUEST_BYTES = 200  # any real form is larger
    open_exercise(page, live_server, course)
    page.click("#submit-button")
    page.wait_for_selector("#submit-error:not(:empty)")
    error = page.inner_text("#submit-error")
    assert "more than Duet takes in one submission" in error and "Nothing was saved" in error
    assert "could not be reached" not in error
    assert page.is_enabled("#submit-button")
    assert not Submission.objects.exists()


def test_an_answer_that_is_not_json_is_said_in_words(page, live_server, course, learner):
    exercise = open_exercise(page, live_server, course)
    Exercise.objects.filter(id=exercise.id).update(published=False)  # the submit URL now answers 404 (HTML)
    page.click("#submit-button")
    page.wait_for_selector("#submit-error:not(:empty)")
    error = page.inner_text("#submit-error")
    assert "no longer has this page" in error and "Your code is still in the editor" in error
    assert "could not be reached" not in error
