"""In headless Chromium: a learner logs in, types the solution into the code editor,
submits, and sees the verdict appear without a reload."""

import os

import pytest

from sandbox.models import Submission
from tests.browser.conftest import log_in
from tests.conftest import solution_files

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_learner_submits_flask_hello_and_sees_it_pass_without_a_reload(
    page, live_server, course, learner, celery_worker
):
    log_in(page, live_server, "learner")
    page.click('.cards a:has-text("Flask and Django, side by side")')
    page.click('a:has-text("Hello, Flask: route the home page")')
    page.wait_for_selector(".ace-holder .ace_content")  # the real code editor took over

    page.click(".ace-holder .ace_content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(solution_files("flask-hello")["app.py"])
    page.evaluate("window.notReloaded = true")
    page.click("#submit-button")

    page.wait_for_selector("#result .status-queued, #result .status-running, #result .status-pass", timeout=5000)
    page.wait_for_selector("#result .status-pass", timeout=60000)
    assert page.evaluate("window.notReloaded") is True
    assert "Passed" in page.inner_text("#result .verdict")
    assert page.locator("#result .test-pass").count() == 4
    assert page.locator("#attempts .attempt").count() == 1

    submission = Submission.objects.get()
    assert submission.files["app.py"] == solution_files("flask-hello")["app.py"]
    if path := os.environ.get("DUET_SCREENSHOT"):
        page.screenshot(path=path, full_page=True)


def test_a_failing_attempt_shows_the_reason_and_can_be_reopened(page, live_server, course, learner, celery_worker):
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{course.exercises.get(slug='flask-hello').get_absolute_url()}")
    page.click("#submit-button")  # the starter, unchanged
    page.wait_for_selector("#result .status-fail", timeout=60000)
    assert "expected 200" in page.inner_text("#result .tests")
    page.click("#attempts .reopen")
    page.wait_for_selector(".ace-holder")
    assert "Editor holds your attempt" in page.inner_text("body")
