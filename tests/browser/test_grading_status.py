"""The staff status page as a person sees it, with a real worker beating: the worker's
row, the hour's verdicts and the percentiles, at desktop and phone widths, nothing wider
than the screen. DUET_SCREENSHOTS=<folder> keeps the PNGs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from sandbox.services import submission_create
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD, solution_files, wait_for_verdict

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_staff_see_the_worker_and_the_hours_verdicts_at_every_width(
    page, live_server, course, learner, celery_worker, celery_queue
):
    get_user_model().objects.create_user(username="staff", password=PASSWORD, is_staff=True)
    exercise = course.exercises.get(slug="flask-hello")
    graded = wait_for_verdict(
        submission_create(user=learner, exercise=exercise, files=solution_files("flask-hello")).id
    )
    assert graded.status == "pass"

    log_in(page, live_server, "staff")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Status").click()
    page.wait_for_url(f"{live_server.url}/staff/status/")
    assert page.locator("text=1 verdict: 1 pass, 0 fail, 0 error.").is_visible()
    folder = os.environ.get("DUET_SCREENSHOTS")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/staff/status/")
        workers = page.locator("table", has_text="Last seen")
        assert workers.locator("td", has_text=f"{celery_queue}@").count() == 1
        assert page.locator("text=Submit to verdict: median").is_visible()
        assert page.get_by_role("cell", name=graded.verdict.worker, exact=True).count() >= 1  # in "Graded by"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if folder:
            page.screenshot(path=str(Path(folder) / f"grading-status-{width}.png"), full_page=True)
