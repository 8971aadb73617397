"""In headless Chromium, the workspace as a learner uses it: a 12-file app on one screen,
edited through the file tree (by mouse and by keys), read-only files shown and not
editable, undo per file, a draft restored after a reload and on another device, Reset
to starter that asks first, Ctrl+Enter to submit, the HTTP transcript under a failing
test, and every character visible in the editors (underscores were once clipped)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.models import Enrollment
from lessons.course_import import course_import
from sandbox.models import Draft, Submission
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace-course"
EDITOR = "#ws-editor .ace_content"
API = "notes/views/api.py"


@pytest.fixture
def notes(learner):
    """The 12-file exercise of the fixture course, the learner enrolled in its course."""
    course, _ = course_import(FIXTURE)
    Enrollment.objects.create(user=learner, course=course, role=Enrollment.Role.LEARNER)
    return course.exercises.get(slug="flask-notes")


@pytest.fixture(autouse=True)
def _drafts_settle(page):
    """Let the last draft save finish before the test's rows are flushed, so that no
    request of this test lands in the next one."""
    yield
    if page.is_closed() or not page.evaluate("!!window.duetWorkspace"):
        return
    for _ in range(50):
        if not page.evaluate("/^(Saving|Unsaved)/.test(document.getElementById('draft-status').textContent)"):
            return
        page.wait_for_timeout(100)


def open_workspace(page, live_server, exercise, *, width=1280, height=900):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{exercise.get_absolute_url()}")
    page.wait_for_selector(EDITOR)


def tree_item(page, path):
    return page.locator(f'.ws-tree li[data-path="{path}"]')


def text_of(page, path):
    return page.evaluate("path => window.duetWorkspace.files[path].session.getValue()", path)


def type_at_start(page, text):
    page.click(EDITOR)
    page.keyboard.press("Control+Home")
    page.keyboard.insert_text(text)


def test_a_12_file_app_fits_one_screen_and_is_edited_through_the_tree(page, live_server, notes):
    open_workspace(page, live_server, notes)
    assert page.evaluate("document.documentElement.scrollHeight") <= 1800
    assert page.locator(".ws-tree li.tree-file").count() == 14  # 12 editable, 2 read-only
    assert page.locator("#ws-editor").count() == 1 and page.locator(".ws-files").is_hidden()
    submit = page.locator("#submit-button")
    assert submit.is_visible() and submit.bounding_box()["y"] + submit.bounding_box()["height"] <= 900

    tree_item(page, API).click()
    assert page.inner_text("#ws-path") == API
    assert tree_item(page, API).get_attribute("aria-selected") == "true"
    assert "def note_list" in text_of(page, API)

    # A folder folds away and opens again.
    folder = page.locator('.ws-tree li[data-folder="notes/templates"]')
    folder.locator(":scope > .tree-label").click()
    assert folder.get_attribute("aria-expanded") == "false" and tree_item(page, "notes/templates/base.html").is_hidden()
    folder.locator(":scope > .tree-label").click()
    assert tree_item(page, "notes/templates/base.html").is_visible()

    # The submit button stays in view at the foot of the screen while the page scrolls.
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)  # the wheel scrolls smoothly
    box = submit.bounding_box()
    assert page.evaluate("window.scrollY") > 0 and box["y"] >= 0 and box["y"] + box["height"] <= 900


def test_the_tree_works_by_keys_alone(page, live_server, notes):
    open_workspace(page, live_server, notes)
    top = page.locator('.ws-tree li[data-folder="notes"]')
    # Tab from the button before the tree lands on the open file, the tree's one tab stop.
    page.focus("#download-button")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.path") == "notes/__init__.py"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.dataset.folder") == "notes"
    page.keyboard.press("ArrowLeft")  # fold notes/
    assert top.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # to requirements.txt, the next visible item
    assert page.evaluate("document.activeElement.dataset.path") == "requirements.txt"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")  # open notes/ again
    assert top.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowRight")  # into its first child, static/
    assert page.evaluate("document.activeElement.dataset.folder") == "notes/static"
    for _ in range(8):  # static/ app.js style.css templates/ base index note views/ → __init__.py
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # api.py
    assert page.evaluate("document.activeElement.dataset.path") == API
    page.keyboard.press("Enter")
    assert page.inner_text("#ws-path") == API
    assert page.evaluate("document.activeElement.classList.contains('ace_text-input')")  # the editor has focus
    # The tree keeps one tab stop: the open file.
    assert page.locator('.ws-tree li[tabindex="0"]').count() == 1
    assert tree_item(page, API).get_attribute("tabindex") == "0"


def test_read_only_files_are_shown_but_cannot_be_changed(page, live_server, notes):
    open_workspace(page, live_server, notes)
    before = text_of(page, "wsgi.py")
    tree_item(page, "wsgi.py").click()
    assert page.inner_text("#ws-path") == "wsgi.py" and page.locator("#ws-lock").is_visible()
    assert "create_app" in page.inner_text(EDITOR)
    type_at_start(page, "broken = True\n")
    assert text_of(page, "wsgi.py") == before
    assert page.locator('textarea[data-path="wsgi.py"]').get_attribute("name") is None
    tree_item(page, API).click()
    assert page.locator("#ws-lock").is_hidden()


def test_undo_is_kept_per_file(page, live_server, notes):
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    type_at_start(page, "# in api\n")
    tree_item(page, "notes/views/pages.py").click()
    type_at_start(page, "# in pages\n")
    tree_item(page, API).click()
    page.click(EDITOR)
    page.keyboard.press("Control+z")
    assert not text_of(page, API).startswith("# in api")
    assert text_of(page, "notes/views/pages.py").startswith("# in pages\n")


def test_a_draft_is_restored_after_a_reload_and_on_another_device(page, browser, live_server, notes, learner):
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    type_at_start(page, "# my draft, not submitted\n")
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Draft saved"))
    assert Draft.objects.get(user=learner).files[API].startswith("# my draft")

    page.reload()
    page.wait_for_selector(EDITOR)
    assert text_of(page, API).startswith("# my draft, not submitted\n")
    assert "Your draft, saved" in page.inner_text("#ws-source")

    other = browser.new_context().new_page()  # another device: nothing shared but the account
    open_workspace(other, live_server, notes)
    assert text_of(other, API).startswith("# my draft, not submitted\n")
    other.context.close()


def test_reset_to_starter_asks_first_and_can_be_undone(page, live_server, notes, learner):
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    type_at_start(page, "# typed\n")
    page.click("#reset-button")
    dialog = page.locator("#reset-dialog")
    assert dialog.is_visible()
    page.click("[data-reset-cancel]")
    assert dialog.is_hidden() and text_of(page, API).startswith("# typed")

    page.click("#reset-button")
    page.click("[data-reset-confirm]")
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Reset to the starter"))
    assert text_of(page, API) == notes.editable_starter()[API]
    assert Draft.objects.get(user=learner).files[API] == notes.editable_starter()[API]
    page.click(EDITOR)
    page.keyboard.press("Control+z")
    assert text_of(page, API).startswith("# typed")


def visible_line_images(page, holder: str, lines: list[str]) -> list[bytes]:
    """Put ``lines`` in the ACE editor inside ``holder``, move the cursor away, and return
    the pixels of each line as drawn: the same rectangle (the line's height, ten
    characters wide, from the text's left edge) one line apart, as RGB bytes."""
    from PIL import Image

    box = page.evaluate(
        """([holder, text]) => {
            const editor = ace.edit(document.querySelector(holder));
            editor.setValue(text, 1);
            editor.gotoLine(editor.session.getLength(), 0);
            editor.blur();
            editor.renderer.updateFull(true);
            document.querySelector(holder).scrollIntoView({block: "center"});
            const content = document.querySelector(holder + " .ace_content").getBoundingClientRect();
            const r = editor.renderer;
            return {x: content.left + r.$padding, y: content.top, h: r.lineHeight, w: r.characterWidth * 10};
        }""",
        [holder, "\n".join(lines) + "\n\n"],
    )
    page.wait_for_timeout(200)  # ACE draws on the next frame
    images = []
    for n in range(len(lines)):
        clip = {"x": box["x"], "y": box["y"] + n * box["h"], "width": box["w"], "height": box["h"]}
        png = page.screenshot(clip=clip)
        images.append(Image.open(io.BytesIO(png)).convert("RGB").tobytes())
    return images


def test_underscores_are_visible_in_the_learners_editor(page, live_server, course, learner):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{course.exercises.get(slug='flask-hello').get_absolute_url()}")
    page.wait_for_selector(EDITOR)
    # Typed, as a learner types it, then checked as drawn.
    page.click(EDITOR)
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("x__y\nx  y\n")
    assert page.evaluate("ace.edit(document.querySelector('#ws-editor')).getValue()") == "x__y\nx  y\n"
    underscores, spaces = visible_line_images(page, "#ws-editor", ["x__y", "x  y"])
    assert underscores != spaces, "x__y and x  y look the same: the underscores are clipped"
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Draft saved"))  # nothing left in flight


def test_underscores_are_visible_in_the_authoring_editors(page, live_server, course, instructor):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "instructor")
    exercise = course.exercises.get(slug="flask-hello")
    page.goto(f"{live_server.url}/courses/{course.slug}/author/exercises/{exercise.slug}/")
    page.wait_for_selector(".file-row .ace-holder .ace_content")
    page.locator(".file-row .ace-holder").first.evaluate("el => el.id = 'first-authoring-editor'")
    underscores, spaces = visible_line_images(page, "#first-authoring-editor", ["x__y", "x  y"])
    assert underscores != spaces, "x__y and x  y look the same in the authoring editor"


@pytest.mark.docker
@pytest.mark.worker
def test_ctrl_enter_submits_and_the_failing_tests_transcript_can_be_read(page, live_server, notes, celery_worker):
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    # A plausible mistake: the route is there, but a missing note is Flask's HTML 404.
    page.click(EDITOR)
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(
        '\n\n@bp.get("/notes/<int:note_id>")\ndef note_detail(note_id):\n'
        "    note = get_note(note_id)\n    if note is None:\n        abort(404)\n    return jsonify(note)\n"
    )
    page.keyboard.press("Control+Home")
    page.keyboard.insert_text("from flask import abort\n\nfrom ..store import get_note\n")
    page.keyboard.press("Control+Enter")

    page.wait_for_selector("#result .status-fail", timeout=90_000)
    failing = page.locator("#result .test-fail")
    assert failing.count() == 1, page.inner_text("#result")
    assert "JSON" in failing.locator(".test-message").inner_text()
    transcript = failing.locator("details.transcript")
    assert transcript.get_attribute("open") is not None  # shown under a failing test
    exchange = transcript.locator(".exchange").first
    assert "GET /api/notes/999" in exchange.locator(".exchange-request").inner_text()
    assert "404" in exchange.locator(".exchange-status").inner_text()
    assert "curl" in exchange.locator(".curl").inner_text()
    assert "127.0.0.1:5000/api/notes/999" in exchange.locator(".curl").inner_text()
    # What the app sent is text, not markup: Flask's HTML error page shows as its source.
    assert "<!doctype html>" in exchange.inner_text().lower() or "<title>" in exchange.inner_text()
    # Passing tests keep their transcript folded away.
    passing = page.locator("#result .test-pass details.transcript")
    assert passing.count() == 3 and all(passing.nth(n).get_attribute("open") is None for n in range(3))
    submission = Submission.objects.get()
    assert submission.files[API].startswith("from flask import abort\n")
    # Nothing of the transcript widens the page, on a desktop or on a phone.
    if folder := os.environ.get("DUET_SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/workspace-transcript.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 390, "height": 844})
    if folder:
        page.screenshot(path=f"{folder}/workspace-transcript-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_files_are_a_form_and_a_refusal_keeps_what_was_typed(
    browser, live_server, notes, settings
):
    settings.SUBMISSION_MAX_FILE_BYTES = 2048  # the typed file will be too large
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{notes.get_absolute_url()}")
    # Every file is a box on the page, the tree a list of links to them; read-only ones
    # cannot be typed in.
    assert page.locator(".ws-files textarea").count() == 14
    assert page.locator("textarea[readonly]").count() == 2
    page.click('.ws-tree a[href="#file-7"]')
    assert page.url.endswith("#file-7")
    typed = "# typed without JavaScript\n" + "x = 1\n" * 400
    page.fill(f'textarea[data-path="{API}"]', typed)
    page.click("#submit-button")
    page.wait_for_load_state()
    assert "a file may be at most 2 KiB" in page.inner_text(".messages")
    assert page.input_value(f'textarea[data-path="{API}"]') == typed
    assert "it was not submitted" in page.inner_text("#ws-source")
    assert not Submission.objects.exists()
    context.close()


def test_the_keyboard_can_leave_the_editor(page, live_server, notes):
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    page.click(EDITOR)
    # Ace focuses its text box on the click and again in a timer just after it; the page
    # runs input before timers, so under load that timer could fire after the Escape below
    # and take the focus back (as in CI). A person is never that fast: let it fire.
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    page.keyboard.press("Control+Home")
    page.keyboard.press("Tab")  # indents: Tab belongs to the code
    assert text_of(page, API).startswith("    ")
    page.keyboard.press("Escape")  # the keys go back to the page: the editor's box has the focus
    assert focus_becomes(page, "document.activeElement.classList.contains('ace_scroller')")
    page.keyboard.press("Tab")
    assert focus_becomes(page, "document.activeElement.id === 'submit-button'")


def focus_becomes(page, condition: str, seconds: float = 5.0) -> bool:
    """Whether ``condition`` (about document.activeElement) comes true within ``seconds``:
    under load the editor moves the focus a moment after the key."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(condition):
            return True
        page.wait_for_timeout(100)
    return False


def test_opening_an_earlier_attempt_over_a_different_draft_asks_first(page, live_server, notes, learner):
    from tests.course.helpers import graded

    attempt = graded(learner, notes, "fail", files={API: "# the earlier attempt\n"})
    open_workspace(page, live_server, notes)
    tree_item(page, API).click()
    assert text_of(page, API) == "# the earlier attempt\n"  # the latest attempt, no draft yet
    type_at_start(page, "# typed since\n")
    page.click("#attempts a.reopen")  # saves the draft first, then opens the attempt's page
    page.wait_for_selector(".notice >> text=Your draft differs from your attempt")
    page.wait_for_selector(EDITOR)
    assert text_of(page, API).startswith("# typed since\n")  # nothing replaced before asking
    page.click("button:has-text('Open the attempt, replace my draft')")
    page.wait_for_selector(".messages >> text=The editor holds that attempt now")
    page.wait_for_selector(EDITOR)
    assert text_of(page, API) == "# the earlier attempt\n"
    assert attempt.id == Submission.objects.get().id
