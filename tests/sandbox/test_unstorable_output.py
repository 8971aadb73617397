"""What the learner's code writes reaches the database and the page whatever its bytes:
NUL (which PostgreSQL refuses in text and JSON), lone surrogates (which no database or
page can encode) and invalid UTF-8, in the app's log, in a response quoted by a test's
message and transcript, and in the learner's own tests' names, messages and output.
Each is graded by a real worker; scripts/test.sh runs this file on SQLite and on
PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sandbox.storable import NUL_PICTURE, REPLACEMENT, storable
from tests.conftest import PASSWORD, wait_for_verdict

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# flask-hello's app, printing and answering with the bytes under test.
APP = """import sys

from flask import Flask, Response

sys.stdout.buffer.write(b"started: ###\\n")
sys.stdout.flush()
app = Flask(__name__)


@app.route("/")
def hello():
    return Response(b"Web App ### with Python Flask!", mimetype="text/plain")
"""

# What the app writes (as a bytes literal's inside) → what the log keeps of it.
BYTES = {
    "nul": ("NUL \\x00 here", f"NUL {NUL_PICTURE} here", NUL_PICTURE),
    "invalid-utf-8": ("bad \\xff\\xfe here", f"bad {REPLACEMENT * 2} here", REPLACEMENT),
}


def submit(client: Client, course, slug: str, files: dict[str, str]) -> int:
    data = {f"file:{path}": text for path, text in files.items()}
    response = client.post(f"/courses/{course.slug}/exercises/{slug}/submit/", data, HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def stored_text(submission) -> str:
    """Everything kept of the grading, as the database holds it."""
    return json.dumps(submission.result, ensure_ascii=False) + submission.verdict.message


def shown(client: Client, submission) -> str:
    return client.get(f"/submissions/{submission.id}/status/").json()["html"]


@pytest.mark.parametrize("kind", list(BYTES))
def test_bytes_in_the_apps_log_and_responses_are_stored_and_shown_visibly(kind, course, learner, celery_worker):
    raw, logged, stand_in = BYTES[kind]
    client = Client()
    assert client.login(username="learner", password=PASSWORD)
    app = APP.replace("###", raw)
    submission = wait_for_verdict(submit(client, course, "flask-hello", {"app.py": app}), timeout=90)

    assert submission.status == "fail", submission.result  # graded: the page's text is wrong
    assert "\x00" not in stored_text(submission)
    assert f"started: {logged}" in submission.result["app_log"]
    quoted = [t["message"] for t in submission.result["tests"] if t["status"] == "fail"]
    assert any(stand_in in message or "\\x" in message for message in quoted), quoted
    assert "started:" in shown(client, submission)


LEARNER_TESTS = """import pytest


@pytest.mark.parametrize("value", ["nul \\x00", "lone \\ud800"], ids=["nul \\x00", "lone \\ud800"])
def test_odd_text(value):
    print("printed:", value, "\\x00", "\\udcff")
    assert value == "", f"said: {value} \\x00 \\ud800"
"""


def test_nul_and_lone_surrogates_in_the_learners_own_tests_are_stored_and_shown(course, learner, celery_worker):
    client = Client()
    assert client.login(username="learner", password=PASSWORD)
    submission = wait_for_verdict(submit(client, course, "flask-testing", {"test_app.py": LEARNER_TESTS}), timeout=180)

    assert submission.status == "fail", submission.result  # the tests fail on the correct app
    text = stored_text(submission)
    assert "\x00" not in text
    text.encode("utf-8")  # no lone surrogate kept
    assert "test_odd_text" in shown(client, submission)


def test_storable_replaces_what_databases_refuse_and_keeps_the_rest():
    value = {"k\x00": ["a\x00b", "lone \ud800 and \udfff", 3, None, True, "é ✓ 🙂"], "n": 1.5}
    assert storable(value) == {
        f"k{NUL_PICTURE}": [f"a{NUL_PICTURE}b", f"lone {REPLACEMENT} and {REPLACEMENT}", 3, None, True, "é ✓ 🙂"],
        "n": 1.5,
    }
    assert storable("plain") == "plain"
