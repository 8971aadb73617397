"""In headless Chromium: a grader finds a learner's failed attempt in the gradebook,
comments on it and overrides its verdict with a reason; the learner then sees the
comment, the override and the original verdict, and their progress counts the pass."""

import os

import pytest

from sandbox.models import VerdictOverride
from tests.browser.conftest import log_in
from tests.course.helpers import graded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grader_comments_and_overrides_and_the_learner_sees_both(page, live_server, course, learner, grader):
    exercise = course.exercises.get(slug="flask-hello")
    submission = graded(learner, exercise, "fail", passed=3, failed=1)

    log_in(page, live_server, "grader")
    page.goto(f"{live_server.url}{course.get_absolute_url()}")
    page.click(".review-links >> text=Gradebook")
    page.wait_for_url("**/gradebook/")  # loaded, so gradebook.js listens before the choice
    # The lesson filter applies as soon as it is chosen (gradebook.js).
    page.select_option("select[name=lesson]", exercise.lesson.slug)
    page.wait_for_url(f"**/gradebook/?*lesson={exercise.lesson.slug}*")
    assert page.locator("table.gradebook tbody tr").count() == 1
    cell = page.locator("td.cell-failed a").first
    assert "3/4" in cell.inner_text()
    cell.click()
    page.wait_for_url(f"**/submissions/{submission.id}/")
    if path := os.environ.get("DUET_SCREENSHOT_GRADEBOOK"):
        page.go_back()
        page.screenshot(path=path, full_page=True)
        page.go_forward()

    page.fill("#comments textarea[name=body]", "Nearly there: the greeting needs a **capital W**.")
    page.click("#comments button[type=submit]")
    page.wait_for_selector(".comment-body strong")
    page.select_option("#verdict select[name=to_status]", "pass")
    page.fill("#verdict textarea[name=reason]", "The greeting test was too strict about punctuation.")
    page.click("#verdict button[type=submit]")
    page.wait_for_selector("#result .override")
    assert "Verdict changed from Failed to Passed" in page.inner_text(".messages")
    assert VerdictOverride.objects.get().by == grader
    page.click("button:has-text('Log out')")

    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{submission.get_absolute_url()}")
    override = page.inner_text("#result .override")
    assert "Graded Failed, overridden to Passed by grader" in override
    assert "too strict about punctuation" in override
    assert "Failed" in page.inner_text("#result .verdict")  # the original verdict stays visible
    assert "capital W" in page.inner_text("#comments .comment")
    assert page.locator("#comments form").count() == 0 and page.locator("#verdict").count() == 0
    if path := os.environ.get("DUET_SCREENSHOT_REVIEW"):
        page.screenshot(path=path, full_page=True)

    page.goto(f"{live_server.url}{course.get_absolute_url()}")
    assert "1 of" in page.inner_text("#course-progress-text")
    assert page.locator(".review-links").count() == 0
