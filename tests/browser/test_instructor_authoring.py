"""In headless Chromium, under the site's Content Security Policy: an instructor edits a
lesson with the live preview (and an uploaded image), changes an exercise's tests in the
code editor, validates through the real worker, previews and publishes; a learner then
works on the changed exercise and is graded by the new tests."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from lessons.models import Exercise, Lesson
from sandbox.models import Submission
from tests.browser.conftest import log_in
from tests.conftest import solution_files

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NEW_TEST = '''

def test_home_page_names_flask(client):
    """GET / names Flask (a test added in the browser)"""
    assert "Flask" in client.get("/").text, "GET / should mention Flask."
'''


def csp_watched_page(browser, violations: list[str]):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


def test_an_instructor_edits_validates_and_publishes_and_a_learner_sees_the_change(
    page, browser, live_server, course, instructor, learner, celery_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, live_server, "instructor")

    # The lesson: edit its markdown and watch the sanitized live preview.
    page.goto(f"{live_server.url}/courses/{course.slug}/lessons/hello-world/")
    page.click(".author-tools >> text=Edit lesson")
    page.wait_for_url("**/author/**/lessons/hello-world/")  # loaded, with its editor's scripts
    body = page.locator("textarea#id_body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(
        '\n\n## Fresh from the browser\n\nA **new** paragraph. <img src="x" onerror="alert(1)">\n'
    )
    body.dispatch_event("input")
    page.wait_for_selector(".markdownx-preview h2:has-text('Fresh from the browser')")
    assert page.locator(".markdownx-preview strong:has-text('new')").count() == 1
    assert "onerror" not in page.inner_html(".markdownx-preview")

    # An image, uploaded from the page, lands in the text and shows in the preview.
    png = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 90, 200)).save(png, "PNG")
    (tmp_path / "diagram.png").write_bytes(png.getvalue())
    page.set_input_files("input[data-image-upload]", str(tmp_path / "diagram.png"))
    expect(body).to_have_value(re.compile(r"!\[\]\(/media/lesson-images/[0-9a-f]{32}\.png\)"))
    image = page.locator(".markdownx-preview img[src^='/media/lesson-images/']")
    image.wait_for()
    expect(image).to_have_js_property("naturalWidth", 8)  # loaded, under img-src 'self'
    page.click("button:has-text('Save')")
    page.wait_for_selector(".messages >> text=Lesson saved.")
    lesson = Lesson.objects.get(course=course, slug="hello-world")
    assert "Fresh from the browser" in lesson.body_html and "onerror" not in lesson.body_html

    # The exercise: add a test in the code editor and save: a new version, a draft again.
    page.goto(f"{live_server.url}/courses/{course.slug}/author/exercises/flask-hello/")
    page.wait_for_selector(".file-row .ace-holder .ace_content")
    tests_row = page.locator(".file-row", has=page.locator("input.file-path[value='test_hello.py']"))
    tests_row.locator(".ace_content").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(NEW_TEST)
    page.click("#save-button")
    page.wait_for_selector(".messages >> text=Saved as version 2")
    exercise = Exercise.objects.get(course=course, slug="flask-hello")
    assert exercise.version == 2 and not exercise.published
    assert "def test_home_page_names_flask" in exercise.files_of("tests")["test_hello.py"]
    assert page.is_disabled("#publish-button")

    # Validate: both runs come back, test by test, without a reload.
    page.evaluate("window.notReloaded = true")
    page.click("#validate-button")
    page.wait_for_selector("#exercise-status .validation.status-valid", timeout=90000)
    assert page.evaluate("window.notReloaded") is True
    status = page.inner_text("#exercise-status")
    assert "Version 2 is valid" in status and "GET / names Flask (a test added in the browser)" in status
    assert page.locator("#exercise-status .validation .test-pass").count() >= 5  # the solution's five

    # Preview as a learner, then publish.
    page.click("#exercise-status >> text=Preview as a learner")
    page.wait_for_selector(".preview-banner")
    assert page.is_disabled("#submit-button")
    page.go_back()
    page.click("#publish-button")
    page.wait_for_selector(".messages >> text=Published")
    assert Exercise.objects.get(id=exercise.id).published

    # A learner sees the new lesson text, and the new test grades their work.
    violations: list[str] = []
    learner_page = csp_watched_page(browser, violations)
    log_in(learner_page, live_server, "learner")
    learner_page.goto(f"{live_server.url}/courses/{course.slug}/lessons/hello-world/")
    assert learner_page.locator("h2:has-text('Fresh from the browser')").count() == 1
    assert learner_page.locator(".author-tools").count() == 0
    learner_page.goto(f"{live_server.url}{exercise.get_absolute_url()}")
    learner_page.wait_for_selector(".ace-holder .ace_content")
    learner_page.click(".ace-holder .ace_content")
    learner_page.keyboard.press("Control+A")
    learner_page.keyboard.press("Delete")
    learner_page.keyboard.insert_text(solution_files("flask-hello")["app.py"])
    learner_page.click("#submit-button")
    learner_page.wait_for_selector("#result .status-pass", timeout=60000)
    assert "All 5 tests passed" in learner_page.inner_text("#result .verdict")
    assert "GET / names Flask (a test added in the browser)" in learner_page.inner_text("#result .tests")
    assert Submission.objects.get(user=learner).exercise_version == 2
    learner_page.context.close()
    assert not violations, f"the learner's pages broke their Content Security Policy: {violations}"
