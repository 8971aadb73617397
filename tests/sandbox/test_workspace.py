"""The workspace behind the exercise page, through the real views with CSRF checks on:
drafts kept per learner and exercise (saved, refused in words, never another's), Reset
to starter and opening an attempt that ask first, read-only files shown and never sent,
a refused form post shown again with what was posted, and Download my project."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client

from course.models import Enrollment
from lessons.models import Exercise
from sandbox.models import Draft, Submission
from tests.conftest import PASSWORD

STARTER_LINE = "def hello():"


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def django_exercise(course):
    return course.exercises.get(slug="django-hello")


def browser(username: str = "learner") -> tuple[Client, str]:
    """A signed-in browser with CSRF checks on, and its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=username, password=PASSWORD)
    client.get("/")
    return client, client.cookies["csrftoken"].value


def url(exercise: Exercise, tail: str = "") -> str:
    return f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/{tail}"


def save(client, token, exercise, files, **extra):
    return client.post(
        url(exercise, "draft/"),
        json.dumps({"files": files}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_ACCEPT="application/json",
        **extra,
    )


def editor_text(page: str, path: str) -> str:
    """The text of the editor box of ``path`` on the page (Django escapes it)."""
    import html
    import re

    match = re.search(rf'<textarea [^>]*data-path="{re.escape(path)}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no editor for {path}"
    return html.unescape(match.group(1))


# --- Drafts ------------------------------------------------------------------------------


def test_a_draft_is_saved_and_the_page_opens_on_it_on_any_device(exercise, learner):
    client, token = browser()
    response = save(client, token, exercise, {"app.py": "print('typed, not submitted')\n"})
    assert response.status_code == 200 and "saved_at" in response.json()
    assert Draft.objects.get(user=learner, exercise=exercise).files == {"app.py": "print('typed, not submitted')\n"}

    elsewhere = Client()  # another browser: the draft is on the server
    elsewhere.login(username="learner", password=PASSWORD)
    page = elsewhere.get(url(exercise)).text
    assert editor_text(page, "app.py") == "print('typed, not submitted')\n"
    assert "Your draft, saved" in page


def test_the_draft_wins_over_the_latest_attempt_and_a_submission_ends_it(exercise, learner):
    Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={"app.py": "attempt = 1\n"})
    client, token = browser()
    assert editor_text(client.get(url(exercise)).text, "app.py") == "attempt = 1\n"
    save(client, token, exercise, {"app.py": "draft = 2\n"})
    assert editor_text(client.get(url(exercise)).text, "app.py") == "draft = 2\n"

    response = client.post(
        url(exercise, "submit/"), {"file:app.py": "draft = 2\n"}, HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201
    assert not Draft.objects.filter(user=learner, exercise=exercise).exists()
    page = client.get(url(exercise)).text
    assert editor_text(page, "app.py") == "draft = 2\n" and "Editor holds your latest attempt" in page


def test_a_draft_is_refused_in_words_and_the_saved_one_is_kept(exercise, learner, settings):
    client, token = browser()
    assert save(client, token, exercise, {"app.py": "kept = True\n"}).status_code == 200

    unknown = save(client, token, exercise, {"app.py": "x", "conftest.py": "boom"})
    assert unknown.status_code == 400 and "conftest.py" in unknown.json()["error"]
    assert "You may submit: app.py" in unknown.json()["error"]
    too_big = save(client, token, exercise, {"app.py": "x" * (settings.SUBMISSION_MAX_FILE_BYTES + 1)})
    assert too_big.status_code == 400 and "KiB" in too_big.json()["error"]
    not_text = save(client, token, exercise, {"app.py": "a\x00b"})
    assert not_text.status_code == 400 and "binary" in not_text.json()["error"]
    for body in ("not json", json.dumps(["a list"]), json.dumps({"files": {"app.py": 3}})):
        malformed = client.post(url(exercise, "draft/"), body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert malformed.status_code == 400 and "JSON" in malformed.json()["error"]
    huge = save(client, token, exercise, {"app.py": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert huge.status_code == 413 and "too large" in huge.json()["error"]
    nested = client.post(
        url(exercise, "draft/"), "[" * 100_000 + "]" * 100_000, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert nested.status_code == 400

    assert Draft.objects.get(user=learner, exercise=exercise).files == {"app.py": "kept = True\n"}


def test_saving_a_draft_needs_the_csrf_token(exercise, learner):
    client, _ = browser()
    response = client.post(
        url(exercise, "draft/"), json.dumps({"files": {"app.py": "x"}}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_only_the_learner_enrolled_may_keep_a_draft_and_only_they_see_it(exercise, learner, other_learner, outsider):
    client, token = browser()
    save(client, token, exercise, {"app.py": "mine = 'private'\n"})

    other, other_token = browser("other-learner")
    assert "private" not in other.get(url(exercise)).text
    assert save(other, other_token, exercise, {"app.py": "theirs = 1\n"}).status_code == 200
    assert Draft.objects.get(user=learner).files["app.py"] == "mine = 'private'\n"
    assert Draft.objects.get(user=other_learner).files["app.py"] == "theirs = 1\n"
    mine = Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={"app.py": "m = 1\n"})
    assert other.post(url(exercise, "draft/load/"), {"from": mine.id}, HTTP_X_CSRFTOKEN=other_token).status_code == 404
    assert Draft.objects.get(user=other_learner).files["app.py"] == "theirs = 1\n"

    stranger, stranger_token = browser("outsider")
    assert save(stranger, stranger_token, exercise, {"app.py": "x"}).status_code == 403
    assert stranger.get(url(exercise, "download/")).status_code == 403
    assert (
        stranger.post(url(exercise, "draft/reset/"), {"confirmed": "1"}, HTTP_X_CSRFTOKEN=stranger_token).status_code
        == 403
    )
    assert (
        stranger.post(url(exercise, "draft/load/"), {"from": mine.id}, HTTP_X_CSRFTOKEN=stranger_token).status_code
        == 403
    )

    anonymous = Client()
    for tail in ("draft/", "draft/reset/", "download/"):
        response = anonymous.get(url(exercise, tail))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_exercise_has_no_workspace_for_learners(exercise, learner):
    exercise.published = False
    exercise.save()
    client, token = browser()
    assert save(client, token, exercise, {"app.py": "x"}).status_code == 404
    assert client.get(url(exercise, "download/")).status_code == 404


# --- Reset and opening an attempt ask first ---------------------------------------------


def test_reset_to_starter_asks_first_then_puts_the_starter_back(exercise, learner):
    client, token = browser()
    save(client, token, exercise, {"app.py": "typed = 1\n"})

    ask = client.get(url(exercise, "draft/reset/"))
    assert ask.status_code == 200 and "Reset to the starter?" in ask.text
    unconfirmed = client.post(url(exercise, "draft/reset/"), {}, HTTP_X_CSRFTOKEN=token)
    assert unconfirmed.status_code == 200 and "Reset every file" in unconfirmed.text
    assert Draft.objects.get().files == {"app.py": "typed = 1\n"}

    done = client.post(url(exercise, "draft/reset/"), {"confirmed": "1"}, HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 302
    assert STARTER_LINE in editor_text(client.get(url(exercise)).text, "app.py")

    as_json = client.post(
        url(exercise, "draft/reset/"), {"confirmed": "1"}, HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json"
    )
    assert as_json.json()["files"] == exercise.editable_starter()


def test_reset_needs_the_csrf_token(exercise, learner):
    client, token = browser()
    save(client, token, exercise, {"app.py": "typed = 1\n"})
    assert client.post(url(exercise, "draft/reset/"), {"confirmed": "1"}).status_code == 403
    assert Draft.objects.get().files == {"app.py": "typed = 1\n"}


def test_opening_an_attempt_asks_first_when_the_draft_differs(exercise, learner, other_learner):
    attempt = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=1, files={"app.py": "old = 1\n"}
    )
    client, token = browser()
    # No draft: the attempt opens at once.
    assert editor_text(client.get(url(exercise) + f"?from={attempt.id}").text, "app.py") == "old = 1\n"

    save(client, token, exercise, {"app.py": "new = 2\n"})
    page = client.get(url(exercise) + f"?from={attempt.id}").text
    assert editor_text(page, "app.py") == "new = 2\n"
    assert "Your draft differs from your attempt" in page

    loaded = client.post(url(exercise, "draft/load/"), {"from": attempt.id}, HTTP_X_CSRFTOKEN=token)
    assert loaded.status_code == 302
    assert editor_text(client.get(url(exercise)).text, "app.py") == "old = 1\n"

    theirs = Submission.objects.create(
        user=other_learner, exercise=exercise, exercise_version=1, files={"app.py": "theirs = 1\n"}
    )
    assert client.post(url(exercise, "draft/load/"), {"from": theirs.id}, HTTP_X_CSRFTOKEN=token).status_code == 404
    assert "theirs" not in client.get(url(exercise) + f"?from={theirs.id}").text


# --- Read-only files, refusals, downloads -----------------------------------------------


def test_read_only_starter_files_are_shown_but_never_sent(django_exercise, learner):
    client, _ = browser()
    page = client.get(url(django_exercise)).text
    readonly = sorted(set(django_exercise.starter_files()) - set(django_exercise.editable))
    assert readonly, "the exercise should have files the learner does not edit"
    for path in readonly:
        assert editor_text(page, path) == django_exercise.starter_files()[path]
        assert f'name="file:{path}"' not in page
        assert f'data-path="{path}"' in page and "read-only" in page
    for path in django_exercise.editable:
        assert f'name="file:{path}"' in page


def test_a_refused_form_post_shows_the_posted_code_again(exercise, learner):
    Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={"app.py": "last = 0\n"})
    client, token = browser()
    response = client.post(
        url(exercise, "submit/"),
        {"csrfmiddlewaretoken": token, "file:app.py": "typed_just_now = 1\r\n", "file:conftest.py": "boom"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "conftest.py" in page and "is not a file you can submit" in page
    assert editor_text(page, "app.py") == "typed_just_now = 1\n"
    assert "it was not submitted" in page


def test_download_my_project_zips_the_workspace_with_a_readme(django_exercise, learner):
    client, token = browser()
    edited = {path: f"# edited {path}\n" for path in django_exercise.editable}
    save(client, token, django_exercise, edited)
    response = client.get(url(django_exercise, "download/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'filename="{django_exercise.slug}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    root = django_exercise.slug
    expected = {f"{root}/{path}" for path in [*django_exercise.starter_files(), *django_exercise.editable]}
    assert names == expected | {f"{root}/README.md"}
    for path, text in edited.items():
        assert archive.read(f"{root}/{path}").decode() == text
    readme = archive.read(f"{root}/README.md").decode()
    assert "python manage.py runserver" in readme and "django==" in readme.lower()


def test_a_flask_factory_project_says_how_flask_runs_it(course, learner):
    from pathlib import Path

    from lessons.course_import import course_import

    fixture, _ = course_import(Path(__file__).resolve().parent.parent / "fixtures" / "workspace-course")
    Enrollment.objects.create(user=learner, course=fixture, role=Enrollment.Role.LEARNER)
    exercise = fixture.exercises.get()
    client, _ = browser()
    archive = zipfile.ZipFile(io.BytesIO(client.get(url(exercise, "download/")).content))
    readme = archive.read(f"{exercise.slug}/README.md").decode()
    assert 'flask --app "notes:create_app()" run --debug' in readme
    assert "pip install -r requirements.txt" in readme
    assert len([n for n in archive.namelist() if not n.endswith("README.md")]) == 14


def test_a_submission_ends_the_draft_it_came_from_but_not_a_newer_one(exercise, learner):
    client, token = browser()
    save(client, token, exercise, {"app.py": "typed_after_sending = 1\n"})  # landed while it was on its way
    response = client.post(
        url(exercise, "submit/"), {"file:app.py": "sent = 1\n"}, HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201
    assert Draft.objects.get(user=learner).files == {"app.py": "typed_after_sending = 1\n"}


def test_a_refused_submission_keeps_the_draft(exercise, learner):
    client, token = browser()
    save(client, token, exercise, {"app.py": "draft = 1\n"})
    refused = client.post(
        url(exercise, "submit/"),
        {"file:app.py": "x", "file:conftest.py": "boom"},
        HTTP_X_CSRFTOKEN=token,
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert Draft.objects.get(user=learner).files == {"app.py": "draft = 1\n"}


def test_an_out_of_date_csrf_token_without_javascript_shows_the_posted_code_again(exercise, learner):
    client, _ = browser()
    response = client.post(url(exercise, "submit/"), {"csrfmiddlewaretoken": "stale" * 8, "file:app.py": "mine = 1\n"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "security token is out of date" in page and "Nothing was submitted" in page
    assert editor_text(page, "app.py") == "mine = 1\n"
    assert not Submission.objects.exists()
    as_json = client.post(url(exercise, "submit/"), {"file:app.py": "x"}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 403 and "Reload the page and try again." in as_json.json()["error"]


def test_reset_puts_back_a_starter_larger_than_a_learner_may_send(exercise, learner, settings):
    settings.SUBMISSION_MAX_FILE_BYTES = 10  # the starter's app.py is larger
    client, token = browser()
    response = client.post(
        url(exercise, "draft/reset/"), {"confirmed": "1"}, HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["files"] == exercise.editable_starter()


def test_the_file_tree_lists_folders_first_and_survives_a_file_named_like_a_folder():
    from sandbox.selectors import Workspace

    tree = Workspace({"b.py": "", "pkg/x.py": "", "pkg": ""}, {"pkg/a/z.html": "", "a.txt": ""}, "starter").tree
    assert [(n["name"], n["folder"]) for n in tree] == [
        ("pkg", True),
        ("a.txt", False),
        ("b.py", False),
        ("pkg", False),
    ]
    pkg = tree[0]["children"]
    assert [(n["name"], n["folder"]) for n in pkg] == [("a", True), ("x.py", False)]
    assert pkg[0]["children"][0] == {
        "path": "pkg/a/z.html",
        "text": "",
        "editable": False,
        "removable": False,
        "anchor": "file-4",
        "name": "z.html",
        "folder": False,
    }
