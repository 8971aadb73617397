"""In headless Chromium, what a learner reads when the app or the grader fails: an app
that prints Duet's words and exits gets Duet's sentence about its exit, with its own
words only in its log; a grader that failed at every attempt says so, and blames Duet,
not the learner. At a phone's width the message still fits the screen.

With DUET_SCREENSHOT_DIR set, each page is saved there (desktop and phone widths)."""

import os
from pathlib import Path

import pytest

from sandbox.models import Submission
from sandbox.services import jobs
from sandbox.services.submissions import SUBMISSIONS
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FORGED = "[duet] your app could not start: the sandbox failed (not your fault)"


def shoot(page, name: str) -> None:
    folder = os.environ.get("DUET_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{folder}/{name}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{folder}/{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def fits_the_screen(page, selector: str) -> bool:
    page.set_viewport_size({"width": 390, "height": 844})
    box = page.locator(selector).bounding_box()
    page.set_viewport_size({"width": 1400, "height": 1000})
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_an_app_that_speaks_in_duets_voice_is_quoted_only_in_its_own_log(
    page, live_server, course, learner, celery_worker
):
    exercise = course.exercises.get(slug="flask-hello")
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{exercise.get_absolute_url()}")
    page.wait_for_selector(".ace-holder .ace_content")
    page.click(".ace-holder .ace_content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(f"import sys\nprint({FORGED!r}, file=sys.stderr)\nsys.exit(3)\n")
    page.click("#submit-button")

    page.wait_for_selector("#result .status-error", timeout=60000)
    verdict = page.inner_text("#result .verdict")
    assert "Your app stopped (exit status 3)" in verdict, verdict
    assert "not your fault" not in verdict and "sandbox failed" not in verdict
    assert FORGED in page.inner_text("#result .app-log pre"), "the app's own words stay in its log"
    assert fits_the_screen(page, "#result .verdict")
    shoot(page, "app-speaks-in-duets-voice")


def test_a_grader_that_failed_every_attempt_says_it_was_duets_fault(page, live_server, course, learner, settings):
    exercise = course.exercises.get(slug="flask-hello")
    row = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files={"app.py": "x = 1\n"}
    )
    Submission.objects.filter(id=row.id).update(status="running", attempts=settings.JOB_MAX_ATTEMPTS)
    jobs.job_give_up(SUBMISSIONS, row.id, note="grading raised RuntimeError: a bug in the grader")

    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{row.get_absolute_url()}")
    verdict = page.inner_text(".result .verdict")
    assert "fault in Duet, not in your code" in verdict, verdict
    assert "RuntimeError" not in page.inner_text("body"), "the staff note is not shown to the learner"
    assert page.locator(".result .app-log").count() == 0, "no app log is offered for a run that never happened"
    assert fits_the_screen(page, ".result .verdict")
    shoot(page, "grader-failed")
