"""In headless Chromium at phone width: a failing attempt's page shows each test's HTTP
transcript as text (a page the app answered with a script stays text), open under the
failing test and folded under the passing one, nothing widens the page, and axe-core
finds no serious or critical violation."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from sandbox.models import Submission
from sandbox.services import submission_record
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">' + "x" * 400


def exchange(path: str, status: int, reason: str, text: str) -> dict:
    return {
        "method": "GET",
        "path": path,
        "query": "",
        "request_headers": [["Accept", "application/json"]],
        "request_body": None,
        "status": status,
        "reason": reason,
        "response_headers": [["Content-Type", "text/html; charset=utf-8"]],
        "response_body": {"bytes": len(text), "text": text, "cut": False},
        "elapsed_ms": 2.0,
    }


def test_a_learner_reads_the_failing_exchange_at_phone_width(page, live_server, course, learner):
    exercise = course.exercises.get(slug="flask-hello")
    submission = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files={}, status=Submission.Status.RUNNING
    )
    result = {
        "version": 2,
        "status": "fail",
        "message": "1 of 2 tests failed.",
        "framework": "flask",
        "app_log": "",
        "tests": [
            {
                "name": "GET / answers",
                "status": "pass",
                "message": "",
                "output": "",
                "http": [exchange("/", 200, "OK", "hi")],
            },
            {
                "name": "GET /api/notes/1 answers the note",
                "status": "fail",
                "message": "GET /api/notes/1 answered 404, expected 200.",
                "output": "",
                "http": [exchange("/api/notes/1", 404, "NOT FOUND", HOSTILE)],
            },
        ],
    }
    assert submission_record(submission_id=submission.id, result=result)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{submission.get_absolute_url()}")

    failing = page.locator(".test-fail .transcript")
    assert failing.locator(".exchange-request").inner_text() == "GET /api/notes/1"
    assert failing.locator(".exchange-status").inner_text() == "404 NOT FOUND"
    assert failing.locator(".exchange-body").is_visible()
    assert failing.locator(".exchange-body").inner_text() == HOSTILE
    assert (
        failing.locator(".curl").inner_text()
        == "curl -i -H 'Accept: application/json' http://127.0.0.1:5000/api/notes/1"
    )
    assert not page.locator(".test-pass .transcript .exchange").is_visible()  # folded
    assert page.evaluate("window.pwned") is None
    assert page.locator(".exchange-body img, .exchange-body script").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    blocking = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("critical", "serious")]
    assert not blocking, blocking
    if path := os.environ.get("DUET_SCREENSHOT"):
        page.screenshot(path=path, full_page=True)
