"""What one submit request may carry, and how much sandbox work may wait: a body too
large or with too many fields is refused in words (JSON for the page's script, the
exercise page otherwise) before it is read, names are checked before any upload is
read, and the work waiting per address and in all is capped with 429 and Retry-After.
Through the real view, with CSRF checks on: the middleware reads the body first."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client

from sandbox.models import Submission
from tests.conftest import PASSWORD

CLASSROOM = "192.0.2.10"  # documentation addresses: only ever a value in REMOTE_ADDR
HOME = "198.51.100.7"
MIB = 1024 * 1024


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def saved(exercise, learner):
    """The learner's last attempt, which no refusal may lose."""
    return Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=1, files={"app.py": "secret = 42\n"}, status="fail"
    )


def browser(username: str = "learner", address: str = CLASSROOM) -> tuple[Client, str]:
    """A signed-in browser with CSRF checks on, and the token its exercise page holds."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    assert client.login(username=username, password=PASSWORD)
    client.get("/")
    return client, client.cookies["csrftoken"].value


def submit_url(exercise) -> str:
    return f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/submit/"


def post(client, token, exercise, data, *, json=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(submit_url(exercise), {"csrfmiddlewaretoken": token, **data}, **headers)


# --- The body ---------------------------------------------------------------------------


def test_a_20_mib_body_gets_a_clear_413_in_json_and_nothing_is_stored(exercise, saved):
    client, token = browser()
    response = post(client, token, exercise, {"file:app.py": "x = 1\n" * (20 * MIB // 6)})
    assert response.status_code == 413
    error = response.json()["error"]
    assert "20,480 KiB" in error and "64 KiB" in error and "Nothing was saved" in error
    assert list(Submission.objects.values_list("id", flat=True)) == [saved.id]


def test_a_20_mib_upload_gets_the_same_413(exercise, saved):
    client, token = browser()
    upload = SimpleUploadedFile("app.py", b"x" * (20 * MIB))
    response = post(client, token, exercise, {"file:app.py": upload})
    assert response.status_code == 413 and "Nothing was saved" in response.json()["error"]
    assert Submission.objects.count() == 1


def test_a_body_too_big_without_javascript_shows_the_exercise_page_with_the_message(exercise, saved):
    client, token = browser()
    response = post(client, token, exercise, {"file:app.py": "x" * (20 * MIB)}, json=False)
    assert response.status_code == 413
    assert "Nothing was saved" in response.text
    assert "secret = 42" in response.text, "the editor still holds the last attempt"


def test_fields_over_the_memory_limit_are_a_413_not_a_bare_400(exercise, saved, settings):
    # Under the request cap, over what Django keeps in memory: Django itself refuses it,
    # in the CSRF middleware's first look at request.POST, if that look comes first.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client, token = browser()
    response = post(client, token, exercise, {"file:app.py": "x" * 20_000})
    assert response.status_code == 413
    assert "Nothing was saved" in response.json()["error"]
    html = post(client, token, exercise, {"file:app.py": "x" * 20_000}, json=False)
    assert html.status_code == 413 and "Nothing was saved" in html.text and "secret = 42" in html.text
    assert Submission.objects.count() == 1


def test_too_many_fields_are_a_400_that_says_so(exercise, saved, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client, token = browser()
    response = post(client, token, exercise, {f"file:f{n}.py": "x" for n in range(10)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "too many fields or files" in error and "app.py" in error
    assert Submission.objects.count() == 1


def test_too_many_files_are_a_400_that_says_so(exercise, saved, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client, token = browser()
    uploads = {f"file:f{n}.py": SimpleUploadedFile(f"f{n}.py", b"x") for n in range(3)}
    response = post(client, token, exercise, uploads)
    assert response.status_code == 400 and "too many fields or files" in response.json()["error"]
    html = post(
        client, token, exercise, {f"file:f{n}.py": SimpleUploadedFile(f"f{n}.py", b"x") for n in range(3)}, json=False
    )
    assert html.status_code == 400 and "too many fields or files" in html.text
    assert Submission.objects.count() == 1


def test_the_csrf_token_is_still_checked(exercise, learner):
    client, _ = browser()
    response = client.post(submit_url(exercise), {"file:app.py": "x = 1\n"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Submission.objects.exists()


# --- Names before contents ---------------------------------------------------------------


class GuardedFile(SimpleUploadedFile):
    """An upload that counts its reads and fails a test that reads more than a file may
    hold and one byte."""

    reads: list[int | None] = []

    def read(self, size=-1):
        from django.conf import settings

        GuardedFile.reads.append(size)
        if size is None or size < 0 or size > settings.SUBMISSION_MAX_FILE_BYTES + 1:
            raise AssertionError(f"read({size}) of an upload: more than a file may hold")
        return super().read(size)


class GuardedUploadHandler(FileUploadHandler):
    """Django's upload handler protocol, ending in a GuardedFile."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        return GuardedFile(self.file_name, self.buffer.getvalue())


@pytest.fixture
def guarded_uploads(settings):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.GuardedUploadHandler"]
    GuardedFile.reads = []
    return GuardedFile.reads


def test_an_unknown_file_name_is_refused_before_its_content_is_read(exercise, saved, guarded_uploads):
    client, token = browser()
    upload = SimpleUploadedFile("conftest.py", b"import os\n" * 1000)
    response = post(client, token, exercise, {"file:app.py": "x = 1\n", "file:conftest.py": upload})
    assert response.status_code == 400
    assert "conftest.py" in response.json()["error"] and "app.py" in response.json()["error"]
    assert guarded_uploads == [], "the upload was read before its name was checked"
    assert Submission.objects.count() == 1


def test_an_upload_too_large_is_refused_without_reading_it(exercise, saved, guarded_uploads):
    client, token = browser()
    upload = SimpleUploadedFile("app.py", b"x" * (100 * 1024))
    response = post(client, token, exercise, {"file:app.py": upload})
    assert response.status_code == 400
    assert response.json()["error"] == "app.py is 100 KiB; a file may be at most 64 KiB."
    assert guarded_uploads == []


def test_of_an_accepted_upload_no_more_than_the_limit_and_a_byte_is_read(
    exercise, learner, guarded_uploads, settings, django_capture_on_commit_callbacks
):
    client, token = browser()
    with django_capture_on_commit_callbacks(execute=False):
        response = post(client, token, exercise, {"file:app.py": SimpleUploadedFile("app.py", b"ok = 1\n")})
    assert response.status_code == 201
    assert guarded_uploads == [settings.SUBMISSION_MAX_FILE_BYTES + 1]
    assert Submission.objects.get().files["app.py"] == "ok = 1\n"


# --- Sandbox work waiting, per address and in all -----------------------------------------


def waiting(exercise, user, address, n=1, status="queued"):
    for _ in range(n):
        Submission.objects.create(
            user=user, exercise=exercise, exercise_version=1, files={}, status=status, client_address=address
        )


def test_a_submission_keeps_the_address_it_came_from(exercise, learner, django_capture_on_commit_callbacks):
    client, token = browser(address=HOME)
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, token, exercise, {"file:app.py": "x = 1\n"}).status_code == 201
    assert Submission.objects.get().client_address == HOME


def test_work_waiting_from_one_address_is_capped_across_accounts(
    exercise, learner, other_learner, settings, django_capture_on_commit_callbacks
):
    settings.SANDBOX_PENDING_PER_ADDRESS = 3
    waiting(exercise, other_learner, CLASSROOM, n=2, status="queued")
    waiting(exercise, other_learner, CLASSROOM, n=1, status="running")
    waiting(exercise, other_learner, CLASSROOM, n=5, status="pass")  # graded: not waiting
    client, token = browser(address=CLASSROOM)
    refused = post(client, token, exercise, {"file:app.py": "x = 1\n"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "3 submissions from your network address are already waiting" in refused.json()["error"]
    html = post(client, token, exercise, {"file:app.py": "x = 1\n"}, json=False)
    assert html.status_code == 429 and int(html["Retry-After"]) > 0
    assert "from your network address" in html.text
    # The same learner from another address is not held back by that one.
    elsewhere, token = browser(address=HOME)
    with django_capture_on_commit_callbacks(execute=False):
        assert post(elsewhere, token, exercise, {"file:app.py": "x = 1\n"}).status_code == 201
    assert Submission.objects.filter(user=learner).count() == 1


def test_work_waiting_in_all_is_capped(exercise, learner, other_learner, settings, django_capture_on_commit_callbacks):
    settings.SANDBOX_PENDING_TOTAL = 4
    waiting(exercise, other_learner, None, n=2)
    waiting(exercise, other_learner, "203.0.113.1", n=2, status="running")
    client, token = browser(address=HOME)
    refused = post(client, token, exercise, {"file:app.py": "x = 1\n"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "The grader is busy: 4 submissions are waiting" in refused.json()["error"]
    Submission.objects.filter(status="running").update(status="pass")
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, token, exercise, {"file:app.py": "x = 1\n"}).status_code == 201


def test_a_real_client_sending_20_mib_over_http_reads_the_413(live_server, exercise, learner):
    """Over a socket, as a browser sends it (the test client hands the view the body)."""
    import requests

    session = requests.Session()
    session.trust_env = False
    session.get(f"{live_server.url}/accounts/login/", timeout=10)
    token = session.cookies["csrftoken"]
    session.post(
        f"{live_server.url}/accounts/login/",
        data={"username": "learner", "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=10,
    )
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{live_server.url}{submit_url(exercise)}",
        data={"csrfmiddlewaretoken": token},
        files={"file:app.py": ("app.py", b"x" * (20 * MIB))},
        headers={"Accept": "application/json", "X-CSRFToken": token},
        timeout=30,
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.json()["error"]
    assert not Submission.objects.exists()
