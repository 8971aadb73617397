"""A hidden test's fixture that asserts something of the learner's app ("the database has
no rows yet") fails the test, with its message, as an assertion in the test would: it is
the app's problem. Any other exception in a fixture is still an error (the test's own
fault). Through the real grader process, bare on this machine."""

from __future__ import annotations

from tests.sandbox.test_transcript_recording import run_harness, server_url  # noqa: F401 (a fixture)

TESTS = """
import pytest


@pytest.fixture
def no_notes_yet(client):
    response = client.get("/notes/1")
    assert response.status_code == 200, f"GET /notes/1 answered {response.status_code}: the notes page is missing."
    return response


@pytest.fixture
def broken_fixture():
    raise KeyError("the test's own bug")


@pytest.fixture
def asserts_on_teardown(client):
    yield
    assert client.get("/json").json() == {"query": "nope"}, "After the test, /json should echo nope."


def test_needs_notes(no_notes_yet):
    assert True


def test_has_a_broken_fixture(broken_fixture):
    assert True


def test_checked_after(asserts_on_teardown):
    assert True
"""


def test_an_assertion_in_a_fixture_fails_the_test_and_other_exceptions_are_errors(server_url, tmp_path):  # noqa: F811
    report, _ = run_harness(server_url, tmp_path, files={"test_fixtures.py": TESTS})
    needs, broken, after = report["tests"]
    assert needs["status"] == "fail"
    assert needs["message"] == "GET /notes/1 answered 404: the notes page is missing."
    assert broken["status"] == "error" and "KeyError" in broken["message"]
    assert after["status"] == "fail" and after["message"] == "After the test, /json should echo nope."
