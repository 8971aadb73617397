"""In headless Chromium, an exercise with an editable folder (django-migration of the
real-apps fixture course: the learner writes a migration in shelf/migrations/): files
added, renamed and deleted there through the workspace's dialogs, each name checked as
the server checks it, by mouse and by keys, on a desktop and on a phone; what is graded
is the learner's set of files, an added file in and a deleted one out; the draft keeps
the set across a reload, and Reset to starter brings the starter's set back."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.models import Enrollment
from lessons.course_import import course_import
from lessons.paths import learner_path_problem
from sandbox.models import Draft, Submission
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course"
EDITOR = "#ws-editor .ace_content"
INITIAL = "shelf/migrations/0001_initial.py"
ADDED = "shelf/migrations/0002_book_author.py"
MODELS = "shelf/models.py"


@pytest.fixture
def migration(learner, tmp_path):
    """The exercise with the editable folder shelf/migrations/, the learner enrolled; its
    lesson imported alone, so that the fixture course's other lessons do not matter here."""
    folder = tmp_path / "real-apps-course"
    folder.mkdir()
    shutil.copy(FIXTURE / "course.md", folder)
    shutil.copytree(FIXTURE / "03-editable-folders", folder / "03-editable-folders")
    course, _ = course_import(folder)
    Enrollment.objects.create(user=learner, course=course, role=Enrollment.Role.LEARNER)
    return course.exercises.get(slug="django-migration")


def solution_of(exercise) -> dict[str, str]:
    return {f.path: f.content for f in exercise.files.filter(kind="solution")}


@pytest.fixture(autouse=True)
def _drafts_settle(page):
    """Let the last draft save finish before the test's rows are flushed."""
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


def shot(page, name: str) -> None:
    """A screenshot for a person to look at, when $DUET_SCREENSHOT_DIR is set."""
    if folder := os.environ.get("DUET_SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def tree_item(page, path):
    return page.locator(f'.ws-tree li[data-path="{path}"]')


def tree_paths(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('.ws-tree li.tree-file'), li => li.dataset.path)")


def text_of(page, path):
    return page.evaluate("path => window.duetWorkspace.files[path].session.getValue()", path)


def replace_text(page, text):
    """Type ``text`` over the open file's, as a learner pasting it would."""
    page.click(EDITOR)
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def new_file(page, path):
    page.click("#new-file-button")
    page.fill("#file-dialog-path", path)
    page.keyboard.press("Enter")
    expect(page.locator("#file-dialog")).to_be_hidden()
    expect(page.locator("#ws-path")).to_have_text(path)


def delete_open_file(page):
    page.click("#delete-button")
    page.click("[data-delete-confirm]")
    expect(page.locator("#delete-dialog")).to_be_hidden()


def draft_saved(page):
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Draft saved"))


def test_the_editable_folders_files_can_be_renamed_and_deleted_the_listed_ones_not(page, live_server, migration):
    open_workspace(page, live_server, migration)
    shot(page, "folders-desktop")
    assert page.locator("#new-file-button").is_visible()
    tree_item(page, INITIAL).click()
    assert page.locator("#rename-button").is_visible() and page.locator("#delete-button").is_visible()
    assert tree_item(page, INITIAL).get_attribute("data-removable") is not None
    tree_item(page, MODELS).click()  # listed on its own: edited, never renamed or deleted
    assert page.locator("#rename-button").is_hidden() and page.locator("#delete-button").is_hidden()
    tree_item(page, "site_conf/settings.py").click()  # read-only
    assert page.locator("#ws-file-actions").is_hidden()


def test_an_added_file_is_graded_and_the_solution_passes(page, live_server, migration, learner, celery_worker):
    solution = solution_of(migration)
    open_workspace(page, live_server, migration)
    tree_item(page, INITIAL).click()  # the folder chosen: New file starts there
    page.click("#new-file-button")
    assert page.input_value("#file-dialog-path") == "shelf/migrations/"
    page.keyboard.type("0002_book_author.py")
    shot(page, "folders-new-file-dialog")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-path")).to_have_text(ADDED)
    assert page.evaluate("document.activeElement.classList.contains('ace_text-input')")  # ready to type
    page.keyboard.insert_text(solution[ADDED])
    assert text_of(page, ADDED) == solution[ADDED]
    # In the tree, in its folder, after the starter's migration, and open.
    assert tree_paths(page).index(ADDED) == tree_paths(page).index(INITIAL) + 1
    assert tree_item(page, ADDED).get_attribute("aria-selected") == "true"
    assert page.locator(f'li[data-folder="shelf/migrations"] li[data-path="{ADDED}"]').count() == 1

    tree_item(page, MODELS).click()
    replace_text(page, solution[MODELS])
    assert text_of(page, MODELS) == solution[MODELS]
    page.click("#submit-button")
    page.wait_for_selector("#result .status-pass, #result .status-fail, #result .status-error", timeout=120_000)
    shot(page, "folders-added-passes")
    assert page.locator("#result .status-pass").count() == 1, page.inner_text("#result")
    submission = Submission.objects.get(user=learner)
    assert submission.files[ADDED] == solution[ADDED]
    assert submission.verdict.status == "pass"


def test_a_deleted_file_is_not_graded(page, live_server, migration, learner, celery_worker):
    # The draft holds the solution: only the starter's migration, then deleted, is missing.
    files = migration.laid_over_starter(solution_of(migration))
    Draft.objects.create(user=learner, exercise=migration, files=files)
    open_workspace(page, live_server, migration)
    tree_item(page, INITIAL).click()
    page.click("#delete-button")
    expect(page.locator("#delete-dialog")).to_be_visible()
    assert page.inner_text("#delete-path") == INITIAL
    shot(page, "folders-delete-dialog")
    page.click("[data-delete-confirm]")
    assert INITIAL not in tree_paths(page)
    assert page.locator(f'textarea[name="file:{INITIAL}"]').count() == 0
    page.click("#submit-button")
    page.wait_for_selector("#result .status-pass, #result .status-fail, #result .status-error", timeout=120_000)
    shot(page, "folders-deleted-fails")
    submission = Submission.objects.get(user=learner)
    assert INITIAL not in submission.files and ADDED in submission.files
    # The solution's migration builds on the one deleted: without it the app has no table.
    assert submission.verdict.status in ("fail", "error")
    result = page.inner_text("#result")
    assert "0001_initial" in result or "no such table" in result, result


REFUSED = [
    ("shelf/migrations/.secret.py", "names starting with a dot"),
    ("shelf/migrations/__pycache__/x.py", "__pycache__ is reserved (Python keeps compiled files there)"),
    ("flask.py", "would hide the flask package"),
    ("shelf/extra.py", "outside the folders where you may add files: shelf/migrations/"),
    (INITIAL, "already exists"),
    ("shelf/migrations/a b.py", "has a space"),
    ("shelf/migrations/", "is a folder: add the file's name"),
    ("shelf/migrations", "is a folder already"),
    ("shelf/models.py/x.py", "“shelf/models.py” is a file"),
]


def test_the_dialog_refuses_what_the_server_would_and_says_why_by_keys_alone(page, live_server, migration):
    starter = migration.starter_files()
    rule = migration.editable_rule
    for path, _ in REFUSED:  # each one is refused by the server too
        assert path in starter or learner_path_problem(path) or not rule.covers(path), path
    open_workspace(page, live_server, migration)
    dialog = page.locator("#file-dialog")
    page.focus("#new-file-button")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "file-dialog-path"
    for path, words in REFUSED:
        page.keyboard.press("Control+a")
        page.keyboard.type(path)
        page.keyboard.press("Enter")
        expect(page.locator("#file-dialog-error")).to_contain_text(words)
        assert dialog.is_visible() and page.get_attribute("#file-dialog-path", "aria-invalid") == "true"
        if path == "flask.py":
            shot(page, "folders-dialog-refusal")
    # The message is tied to the field, and goes once the name is right.
    assert "file-dialog-error" in page.get_attribute("#file-dialog-path", "aria-describedby")
    page.keyboard.press("Control+a")
    page.keyboard.type("shelf/migrations/0002_ok.py")
    expect(page.locator("#file-dialog-error")).to_be_empty()
    # Escape closes it, nothing made, and the keys are back on the button.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "new-file-button"
    assert "shelf/migrations/0002_ok.py" not in tree_paths(page)

    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("shelf/migrations/0002_ok.py")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#ws-path")).to_have_text("shelf/migrations/0002_ok.py")
    page.keyboard.insert_text("# typed at once\n")
    assert text_of(page, "shelf/migrations/0002_ok.py") == "# typed at once\n"

    # In the tree, F2 renames the chosen file and Delete deletes it.
    tree_item(page, "shelf/migrations/0002_ok.py").focus()
    page.keyboard.press("F2")
    expect(dialog).to_be_visible()
    expect(page.locator("#file-dialog-title")).to_have_text("Rename shelf/migrations/0002_ok.py")
    page.keyboard.type("0002_renamed")  # over the chosen name, the folder and .py kept
    page.keyboard.press("Enter")
    expect(page.locator("#ws-path")).to_have_text("shelf/migrations/0002_renamed.py")
    assert (
        page.evaluate("document.activeElement.dataset.path") == "shelf/migrations/0002_renamed.py"
    )  # still in the tree
    page.keyboard.press("Delete")
    expect(page.locator("#delete-dialog")).to_be_visible()
    page.keyboard.press("Escape")  # Cancel has the focus; Escape closes too
    expect(page.locator("#delete-dialog")).to_be_hidden()
    tree_item(page, "shelf/migrations/0002_renamed.py").focus()
    page.keyboard.press("Delete")
    page.locator("[data-delete-confirm]").focus()
    page.keyboard.press("Enter")
    assert "shelf/migrations/0002_renamed.py" not in tree_paths(page)
    assert page.evaluate("document.activeElement.getAttribute('role')") == "treeitem"  # the keys stay in the tree
    draft_saved(page)


def test_no_file_is_added_past_the_submissions_bound(page, live_server, migration, settings):
    settings.SUBMISSION_MAX_FILES = 4  # the learner's four files: models, views and the folder's two
    open_workspace(page, live_server, migration)
    page.click("#new-file-button")
    page.fill("#file-dialog-path", ADDED)
    page.keyboard.press("Enter")
    expect(page.locator("#file-dialog-error")).to_have_text(
        "You have 4 files, the most a submission may have: delete one first."
    )
    assert ADDED not in tree_paths(page)


def test_a_rename_keeps_the_text_and_undo_and_the_draft_keeps_the_set_across_a_reload(
    page, live_server, migration, learner
):
    open_workspace(page, live_server, migration)
    before = text_of(page, INITIAL)
    tree_item(page, INITIAL).click()
    page.click(EDITOR)
    page.keyboard.press("Control+Home")
    page.keyboard.insert_text("# mine\n")
    page.click("#rename-button")
    assert page.input_value("#file-dialog-path") == INITIAL
    # The name is chosen, so that typing replaces it and keeps the folder and the .py.
    assert page.evaluate("(el => el.value.slice(el.selectionStart, el.selectionEnd))(document.activeElement)") == (
        "0001_initial"
    )
    shot(page, "folders-rename-dialog")
    page.keyboard.type("0001_books")
    page.keyboard.press("Enter")
    renamed = "shelf/migrations/0001_books.py"
    expect(page.locator("#ws-path")).to_have_text(renamed)
    assert text_of(page, renamed) == "# mine\n" + before
    assert page.locator(f'textarea[name="file:{renamed}"]').count() == 1
    assert page.locator(f'textarea[name="file:{INITIAL}"]').count() == 0
    page.click(EDITOR)
    page.keyboard.press("Control+z")  # the undo history came with it
    assert text_of(page, renamed) == before

    new_file(page, ADDED)
    page.keyboard.insert_text("# the new migration\n")
    tree_item(page, "shelf/migrations/__init__.py").click()
    delete_open_file(page)
    shot(page, "folders-after-changes")
    draft_saved(page)
    assert set(Draft.objects.get(user=learner).files) == {MODELS, "shelf/views.py", renamed, ADDED}

    page.reload()
    page.wait_for_selector(EDITOR)
    paths = tree_paths(page)
    assert renamed in paths and ADDED in paths
    assert INITIAL not in paths and "shelf/migrations/__init__.py" not in paths
    assert text_of(page, ADDED) == "# the new migration\n" and text_of(page, renamed) == before

    # Reset to starter brings back the starter's files and takes away the learner's own.
    page.click("#reset-button")
    page.click("[data-reset-confirm]")
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Reset to the starter"))
    paths = tree_paths(page)
    assert INITIAL in paths and "shelf/migrations/__init__.py" in paths
    assert renamed not in paths and ADDED not in paths
    assert text_of(page, INITIAL) == before
    assert set(Draft.objects.get(user=learner).files) == set(migration.editable_starter())


def test_the_controls_fit_a_phone(page, live_server, migration):
    open_workspace(page, live_server, migration, width=390, height=844)
    tree_item(page, INITIAL).click()
    for control in ("#new-file-button", "#rename-button", "#delete-button"):
        box = page.locator(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 32, control
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "folders-phone")
    page.click("#new-file-button")
    page.keyboard.type("0002_book_author.py")
    box = page.locator("#file-dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.keyboard.press("Control+a")
    page.keyboard.type("flask.py")
    page.keyboard.press("Enter")
    expect(page.locator("#file-dialog-error")).to_contain_text("would hide the flask package")
    shot(page, "folders-phone-dialog")
    page.keyboard.press("Escape")
    page.click("#delete-button")
    shot(page, "folders-phone-delete-dialog")
    page.click("[data-delete-confirm]")
    assert INITIAL not in tree_paths(page)
    draft_saved(page)
    shot(page, "folders-phone-after-delete")


def test_underscores_are_visible_in_the_dialogs_field(page, live_server, migration):
    open_workspace(page, live_server, migration)
    page.click("#new-file-button")
    field = page.locator("#file-dialog-path")
    drawn = []
    for value in ("x__y", "x  y"):
        field.fill(value)
        page.keyboard.press("Home")  # the caret, drawn the same, away from the text
        drawn.append(field.screenshot())
    assert drawn[0] != drawn[1], "x__y and x  y look the same: the underscores are clipped"


def test_without_javascript_the_folders_files_are_boxes_of_the_form(browser, live_server, migration):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{migration.get_absolute_url()}")
    assert page.locator(f'textarea[name="file:{INITIAL}"]').count() == 1
    assert page.locator(".ws-file[data-removable]").count() == 2  # the folder's two starter files
    assert "not add, rename or delete them" in page.inner_text(".ws-nojs")
    assert page.locator("#new-file-button").is_hidden()
    shot(page, "folders-no-javascript")
    context.close()
