"""A test's HTTP transcript on the host: a report's exchanges are checked and bounded
again (the report comes out of the sandbox), shown as text under each test with a curl
line to reproduce them, and found for real in a graded failing submission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from sandbox import grading
from sandbox.grading import judge
from sandbox.harness.duet_harness import transcript
from sandbox.runner import ExecOutcome, Limits, RunOutcome, Stream
from sandbox.transcripts import curl_line, exchange_view

WORKSPACE_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace-course"
LIMITS = Limits()


def judged(report: dict | str, *, cap: int = 4 * LIMITS.output_bytes) -> dict:
    app = ExecOutcome(stdout=Stream(LIMITS.output_bytes), stderr=Stream(LIMITS.output_bytes))
    grader = ExecOutcome(stdout=Stream(cap), stderr=Stream(LIMITS.output_bytes))
    grader.stdout.feed((report if isinstance(report, str) else json.dumps(report)).encode())
    return judge(RunOutcome(app=app, grader=grader, timed_out=False, oom_killed=False, timings={}), LIMITS)


def report(*tests: dict) -> dict:
    failed = any(test.get("status") != "pass" for test in tests)
    return {
        "version": 2,
        "app_ready": True,
        "pytest_exit_code": 1 if failed else 0,
        "collected": len(tests),
        "collection_errors": [],
        "tests": list(tests),
    }


def exchange(**fields) -> dict:
    record = {
        "method": "GET",
        "path": "/api/notes/1",
        "query": "",
        "request_headers": [],
        "request_body": None,
        "status": 404,
        "reason": "NOT FOUND",
        "response_headers": [["Content-Type", "text/html; charset=utf-8"]],
        "response_body": {"bytes": 9, "text": "not found", "cut": False},
        "elapsed_ms": 1.5,
    }
    return {**record, **fields}


def test_a_hostile_report_cannot_store_megabytes_or_junk():
    huge = "x" * 2_000_000
    junk = [
        exchange(path=huge, response_body={"bytes": 5, "text": huge + "\x1b[2J\ud800", "cut": "yes"}),
        exchange(status="200", elapsed_ms=float("nan"), request_headers=[["A", 1], "B", ["C", "d"] * 50, ["E", "f"]]),
        exchange(response_body={"bytes": -1, "text": 3}, method=["GET"]),
        "not an exchange",
        *[exchange()] * 5000,
    ]
    hostile = {
        "name": {"nested": huge},
        "status": "pass",
        "message": 7,
        "output": None,
        "http": junk,
        "http_note": huge,
    }
    result = judged(report(hostile, {"name": "second", "status": "fail", "http": [exchange()] * 20}), cap=64 * 2**20)

    first, second = result["tests"]
    assert result["status"] == "fail"
    assert isinstance(first["name"], str) and len(first["name"]) <= grading.MAX_TEST_TEXT
    assert first["message"] == "7" and first["output"] == ""
    assert len(first["http"]) <= transcript.MAX_EXCHANGES and len(first["http_note"]) <= transcript.MAX_NOTE_CHARS
    long, typed = first["http"][0], first["http"][1]
    assert len(long["path"]) <= transcript.MAX_URL_CHARS
    assert long["response_body"]["cut"] is False and len(long["response_body"]["text"]) <= transcript.MAX_BODY_BYTES
    assert typed["status"] is None and typed["error"] == "no answer" and typed["elapsed_ms"] is None
    assert typed["request_headers"] == [["E", "f"]]
    stored = json.dumps(result["tests"])
    assert len(stored) < transcript.MAX_RUN_BYTES + 20_000
    # The failing test's transcript is kept first, whole.
    assert len(second["http"]) == 20 and "http_note" not in second
    stored.encode("utf-8")  # no lone surrogate survives


def test_control_characters_in_a_forged_exchange_are_escaped_again():
    forged = exchange(response_body={"bytes": 9, "text": "\x1b[31mred\u202e", "cut": False}, reason="NOT\x00FOUND")
    [test] = judged(report({"name": "t", "status": "fail", "http": [forged]}))["tests"]
    assert test["http"][0]["response_body"]["text"] == "\\x1b[31mred\\u202e"
    assert test["http"][0]["reason"] == "NOT\\x00FOUND"


def test_tests_that_are_not_entries_cannot_make_a_pass():
    assert judged(report({"name": "t", "status": "pass"}) | {"tests": "all passed"})["status"] == "error"
    result = judged(report({"name": "t", "status": "pass"}) | {"tests": [{"name": "t", "status": "pass"}, "pass"]})
    assert result["status"] != "pass" and result["tests"][1]["status"] == "error"
    odd = judged(report({"name": "t", "status": ["pass"]}))
    assert odd["status"] != "pass" and odd["tests"][0]["status"] == "error"


def test_a_genuine_report_keeps_its_names_and_messages_as_they_are():
    entry = {"name": "GET / lists the notes", "test": "test_index", "status": "fail", "message": "<b>x</b>"}
    [test] = judged(report(entry | {"output": "", "http": [exchange()]}))["tests"]
    assert (test["name"], test["test"], test["message"]) == ("GET / lists the notes", "test_index", "<b>x</b>")
    assert test["http"] == [exchange()]


def rendered(*tests: dict, framework: str = "flask") -> str:
    return render_to_string("sandbox/_test_list.html", {"result": {"framework": framework, "tests": list(tests)}})


def test_what_the_app_sent_is_shown_as_text_never_as_markup():
    body = {"bytes": 40, "text": '<script>alert("x")</script><img src=x>', "cut": True}
    html = rendered(
        {"name": "<i>name</i>", "status": "fail", "message": "m", "http": [exchange(response_body=body)]},
        {"name": "passing", "status": "pass", "http": [exchange(status=200, reason="OK")]},
    )
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x&gt;" in html
    assert "&lt;i&gt;name&lt;/i&gt;" in html
    assert "The body has 40 bytes: only its start is shown." in html
    # Open under the failing test, folded under the passing one.
    assert html.count('<details class="transcript" open>') == 1 and html.count('<details class="transcript">') == 1
    assert '<code class="exchange-request">GET /api/notes/1</code>' in html
    assert '<code class="exchange-status exchange-status-4xx">404 NOT FOUND</code>' in html
    assert "curl -i http://127.0.0.1:5000/api/notes/1" in html


def test_a_request_without_an_answer_shows_why():
    html = rendered({"name": "t", "status": "fail", "http": [exchange(status=None, error="no answer within 3 s")]})
    assert "no answer: no answer within 3 s" in html and "exchange-status-none" in html
    assert 'class="exchange-body"' not in html


def test_a_binary_body_is_named_by_its_size():
    view = exchange_view(exchange(response_body={"bytes": 12345, "binary": True}))
    assert view.response_body == "(binary, 12,345 bytes)"


def test_the_curl_line_quotes_a_path_with_a_quote_for_the_shell():
    line, note = curl_line(exchange(path="/notes/it's", query="q=a b"), "flask")
    assert line == "curl -i 'http://127.0.0.1:5000/notes/it'\"'\"'s?q=a b'"
    assert note == ""


def test_the_curl_line_sends_the_method_headers_and_body():
    posted = exchange(
        method="POST",
        path="/api/notes",
        request_headers=[["Content-Type", "application/json"], ["Cookie", "session=…"]],
        request_body={"bytes": 17, "text": '{"title": "@it"}', "cut": False},
    )
    line, note = curl_line(posted, "django")
    assert (
        line
        == "curl -i -H 'Content-Type: application/json' --data-raw '{\"title\": \"@it\"}' http://127.0.0.1:8000/api/notes"
    )
    assert "sends no cookies" in note
    assert curl_line(exchange(method="DELETE"), "flask")[0] == "curl -i -X DELETE http://127.0.0.1:5000/api/notes/1"
    assert curl_line(exchange(method="HEAD"), "flask")[0] == "curl -I http://127.0.0.1:5000/api/notes/1"
    assert curl_line(exchange(query="ids[]=1"), "flask")[0] == "curl -i -g 'http://127.0.0.1:5000/api/notes/1?ids[]=1'"
    cut = exchange(method="POST", request_body={"bytes": 9000, "text": "a=1", "cut": True})
    line, note = curl_line(cut, "flask")
    assert line == "curl -i -X POST http://127.0.0.1:5000/api/notes/1" and "not in this line" in note


@pytest.mark.docker
def test_a_failing_submission_shows_the_request_that_failed(db, docker_engine):
    from lessons.course_import import course_import

    course, _ = course_import(WORKSPACE_COURSE)
    exercise = course.exercises.get(slug="flask-notes")
    starter = exercise.files_of("starter")
    result = grading.grade(exercise, {path: starter[path] for path in exercise.editable})

    assert result["status"] == "fail", result
    by_name = {test["test"]: test for test in result["tests"]}
    failing = by_name["test_api_shows_one_note"]
    assert failing["status"] == "fail"
    [asked] = failing["http"]
    assert (asked["method"], asked["path"], asked["status"]) == ("GET", "/api/notes/1", 404)
    assert asked["response_body"]["text"].lstrip().startswith("<!doctype html>")
    assert by_name["test_index_lists_notes"]["status"] == "pass" and by_name["test_index_lists_notes"]["http"]

    html = rendered(*result["tests"], framework=result["framework"])
    assert "curl -i http://127.0.0.1:5000/api/notes/1" in html and "&lt;!doctype html&gt;" in html
    without = {
        **result,
        "tests": [{k: v for k, v in t.items() if k not in ("http", "http_note")} for t in result["tests"]],
    }
    print(f"result JSON: {len(json.dumps(result))} bytes with transcripts, {len(json.dumps(without))} without")
