"""In headless Chromium, an exercise where the learner writes the tests (flask-todo-tests
of the real-apps fixture course): the app they test is on the page, read-only; their
tests run in the real sandbox against it and each buggy version; the result lists every
buggy version as caught or missed, with what a missed one does wrong kept back until the
exercise is passed, and their tests' own output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.models import Enrollment
from lessons.course_import import course_import
from sandbox.models import Draft
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course"
TESTS = "tests/test_todos.py"


@pytest.fixture
def todo_tests(learner, tmp_path):
    folder = tmp_path / "real-apps-course"
    folder.mkdir()
    shutil.copy(FIXTURE / "course.md", folder)
    shutil.copytree(FIXTURE / "04-writing-tests", folder / "04-writing-tests")
    course, _ = course_import(folder)
    Enrollment.objects.create(user=learner, course=course, role=Enrollment.Role.LEARNER)
    return course.exercises.get(slug="flask-todo-tests")


def shot(page, name: str) -> None:
    if folder := os.environ.get("DUET_SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def submit_and_wait(page) -> None:
    """Submit, and wait for this submission's verdict (the page may show an earlier one)."""
    before = page.evaluate("(document.querySelector('#result [data-submission]') || {dataset: {}}).dataset.submission")
    page.click("#submit-button")
    final = ", ".join(f"#result .status-{s}[data-submission]" for s in ("pass", "fail", "error"))
    for _ in range(1200):
        shown = page.evaluate(f"(document.querySelector('{final}') || {{dataset: {{}}}}).dataset.submission")
        if shown and shown != before:
            return
        page.wait_for_timeout(100)
    raise AssertionError("no verdict for the new submission within 120 s")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_learner_sees_which_buggy_versions_their_tests_caught(
    page, live_server, todo_tests, learner, celery_worker, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{todo_tests.get_absolute_url()}")
    page.wait_for_selector("#ws-editor .ace_content")
    # The app under test is shown, read-only; the learner's tests are theirs to edit.
    expect(page.locator('.ws-tree li.tree-readonly[data-path="todos.py"]')).to_have_count(1)
    expect(page.locator(f'.ws-tree li.tree-file[data-path="{TESTS}"]')).to_have_count(1)

    submit_and_wait(page)  # the starter's one test: passes on the app, catches nothing
    result = page.locator("#result")
    expect(result.locator(".status-fail")).to_have_count(1)
    expect(result).to_contain_text("catch 0 of 4 buggy versions; missed: buggy version 1, 2, 3, 4")
    expect(result.locator(".test-fail .test-name").first).to_have_text("Your tests catch buggy version 1")
    expect(result).to_contain_text("shown once you have passed this exercise or from your attempt 3 on")
    expect(result).not_to_contain_text("newest first")  # what a missed version does wrong is kept back
    expect(result.locator("details.app-log summary")).to_have_text("Your tests' output")
    expect(result.locator("details.app-log")).to_contain_text("--- your tests, run against buggy version 4 ---")
    shot(page, f"tests-exercise-missed-{width}")

    # With the reference tests as a draft: every version caught, and each one explained.
    solution = todo_tests.files.get(kind="solution", path=TESTS).content
    Draft.objects.filter(user=learner).delete()
    Draft.objects.create(user=learner, exercise=todo_tests, files={TESTS: solution})
    page.goto(f"{live_server.url}{todo_tests.get_absolute_url()}")
    page.wait_for_selector("#ws-editor .ace_content")
    submit_and_wait(page)
    expect(result.locator(".status-pass")).to_have_count(1)
    expect(result).to_contain_text("Your tests pass on the correct app and catch all 4 buggy versions.")
    expect(result).to_contain_text("What buggy version 4 does wrong: Lists the todos newest first.")
    shot(page, f"tests-exercise-passed-{width}")
