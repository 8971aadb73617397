"""The harness's record of each test's HTTP exchanges (``duet_harness.client`` and
``duet_harness.transcript``), against a real HTTP server on this machine, and its
bounds: per body, per test, per run and for the whole report."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from sandbox.harness.duet_harness import client as app_client
from sandbox.harness.duet_harness import transcript
from sandbox.harness.duet_harness.client import AppClient, AppDidNotAnswer

HARNESS = Path(__file__).resolve().parents[2] / "sandbox" / "harness"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/redirect":
        start_response("302 Found", [("Location", "/json")])
        return [b""]
    if path == "/json":
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"query": environ.get("QUERY_STRING", "")}).encode()]
    if path == "/big":
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return [("é" * 5000).encode()]
    if path == "/png":
        start_response("200 OK", [("Content-Type", "image/png")])
        return [PNG]
    if path == "/hostile":
        start_response("200 OK", [("Content-Type", "text/html")])
        return ["<script>alert(1)</script>\x1b[2J\u202egnp.exe\r\nline two\x07".encode()]
    if path == "/cookie":
        start_response("200 OK", [("Set-Cookie", "session=s3cret; HttpOnly; Path=/"), ("Content-Type", "text/plain")])
        return [b"set"]
    if path == "/slow":
        time.sleep(1)
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [environ["wsgi.input"].read(length)]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no such page"]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server_url():
    server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def recording(server_url):
    """A test's recording, as the plugin makes one around each test."""
    recorder = app_client.start_recording(server_url)
    yield recorder
    app_client.stop_recording()


@pytest.fixture
def client(server_url):
    with AppClient(server_url, timeout=0.3) as session:
        yield session


def test_it_records_method_path_query_status_headers_and_body(client, recording):
    client.get("/json?x=y&z=1", headers={"Accept": "application/json", "X-Custom": "yes"})
    [exchange], note = recording.finish()
    assert note == ""
    assert exchange["method"] == "GET"
    assert (exchange["path"], exchange["query"]) == ("/json", "x=y&z=1")
    assert exchange["status"] == 200 and exchange["reason"] == "OK"
    # The test's own headers, not the ones requests adds to every request.
    assert exchange["request_headers"] == [["Accept", "application/json"], ["X-Custom", "yes"]]
    assert ["Content-Type", "application/json"] in exchange["response_headers"]
    assert exchange["response_body"] == {"bytes": 20, "text": '{"query": "x=y&z=1"}', "cut": False}
    assert exchange["elapsed_ms"] >= 0 and exchange["request_body"] is None


def test_a_redirect_it_followed_is_an_exchange_of_its_own(client, recording):
    client.get("/redirect")
    exchanges, _ = recording.finish()
    assert [(e["path"], e["status"]) for e in exchanges] == [("/redirect", 302), ("/json", 200)]
    assert ["Location", "/json"] in exchanges[0]["response_headers"]


def test_a_form_and_json_body_are_recorded_and_cookies_only_by_name(client, recording):
    client.get("/cookie")
    client.post("/form", data={"title": "Milk & honey"})
    client.post("/api", json={"title": "Milk"})
    cookie, form, api = recording.finish()[0]
    assert ["Set-Cookie", "session=…; HttpOnly; Path=/"] in cookie["response_headers"]
    assert "s3cret" not in json.dumps([cookie, form, api])
    assert form["request_body"] == {"bytes": 20, "text": "title=Milk+%26+honey", "cut": False}
    assert ["Content-Type", "application/x-www-form-urlencoded"] in form["request_headers"]
    assert ["Cookie", "session=…"] in form["request_headers"]
    assert api["request_body"]["text"] == '{"title": "Milk"}' and api["status"] == 201


def test_a_long_body_is_cut_at_two_kib_without_splitting_a_character(client, recording):
    client.get("/big")
    [exchange], _ = recording.finish()
    body = exchange["response_body"]
    assert body["bytes"] == 10_000 and body["cut"] is True
    assert body["text"] == "é" * 1024  # 2048 bytes of two-byte characters
    assert "\ufffd" not in body["text"]


def test_a_binary_body_is_named_not_shown(client, recording):
    client.get("/png")
    [exchange], _ = recording.finish()
    assert exchange["response_body"] == {"bytes": len(PNG), "binary": True}


def test_control_characters_from_the_app_are_escaped(client, recording):
    client.get("/hostile")
    [exchange], _ = recording.finish()
    text = exchange["response_body"]["text"]
    assert text == "<script>alert(1)</script>\\x1b[2J\\u202egnp.exe\nline two\\x07"


def test_a_test_keeps_its_first_and_last_ten_exchanges(client, recording):
    for number in range(25):
        client.get(f"/json?n={number}")
    exchanges, note = recording.finish()
    assert len(exchanges) == transcript.MAX_EXCHANGES == 20
    assert [e["query"] for e in exchanges] == [f"n={n}" for n in [*range(10), *range(15, 25)]]
    assert note == "This test made 25 requests: the first 10 and the last 10 are shown."


def test_a_request_that_got_no_answer_is_recorded_with_the_reason(client, recording):
    with pytest.raises(AppDidNotAnswer, match=r"no answer within 0\.3 s"):
        client.get("/slow")
    [exchange], _ = recording.finish()
    assert exchange["status"] is None and exchange["response_body"] is None
    assert exchange["path"] == "/slow" and exchange["error"] == "no answer within 0.3 s"


def test_an_app_that_is_gone_is_recorded_as_a_failed_connection(recording):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with AppClient(f"http://127.0.0.1:{port}/", timeout=0.3) as gone, pytest.raises(AppDidNotAnswer):
        gone.post("/notes", data={"title": "x"})
    [exchange], _ = recording.finish()
    assert exchange["method"] == "POST" and exchange["status"] is None
    assert "connection failed" in exchange["error"]


def test_nothing_is_recorded_outside_a_test(client):
    app_client.stop_recording()
    client.get("/json")  # no recorder: nothing to keep, nothing breaks


def fake_exchange(text_bytes: int) -> dict:
    return transcript.exchange(
        method="GET",
        url="http://127.0.0.1:8000/x",
        base_url="http://127.0.0.1:8000/",
        request_headers=[],
        request_body=None,
        status=200,
        reason="OK",
        response_body=b"a" * text_bytes,
        response_type="text/plain",
    )


def test_a_run_keeps_64_kib_of_transcripts_failing_tests_first():
    passing = [{"name": f"p{n}", "status": "pass", "http": [fake_exchange(2048)] * 20} for n in range(3)]
    failing = {"name": "f", "status": "fail", "http": [fake_exchange(2048)] * 10}
    tests = [*passing, failing]
    transcript.keep_within(tests)
    assert len(failing["http"]) == 10 and "http_note" not in failing
    total = sum(transcript.json_size(item) + 2 for test in tests for item in test["http"])
    assert total <= transcript.MAX_RUN_BYTES
    assert "not shown: a run keeps 64 KiB of transcripts, failing tests first." in passing[1]["http_note"]
    assert passing[2]["http"] == [] and "20 exchanges not shown" in passing[2]["http_note"]


def test_a_report_too_large_for_the_runner_loses_transcripts_passing_ones_first():
    tests = [
        {"name": "a", "status": "fail", "http": [fake_exchange(2048)] * 5},
        {"name": "b", "status": "pass", "http": [fake_exchange(2048)] * 5},
        {"name": "c", "status": "pass", "http": [fake_exchange(2048)] * 5},
    ]
    report = {"version": 2, "tests": tests}
    limit = transcript.json_size(report) - 1000
    transcript.fit_report(report, limit)
    assert transcript.json_size(report) <= limit
    assert len(tests[0]["http"]) == 5 and len(tests[1]["http"]) == 5
    assert tests[2]["http"] == [] and "output limit" in tests[2]["http_note"]


TWO_TESTS = (
    "def test_one_note(client):\n"
    "    assert client.get('/notes/1').status_code == 200, 'GET /notes/1 should answer 200.'\n\n"
    "def test_json(client):\n"
    "    assert client.get('/json').json()\n"
)


def run_harness(server_url: str, grader_root: Path, **payload) -> tuple[dict, int]:
    """The real grader process (``duet_harness.grade``), bare on this machine: its report
    and the report's size in bytes."""
    port = int(server_url.rsplit(":", 1)[1].strip("/"))
    grader_root.mkdir(exist_ok=True)
    payload = {"files": {"test_notes.py": TWO_TESTS}, "port": port, **payload}
    env = {**os.environ, "PYTHONPATH": str(HARNESS), "DUET_GRADER_ROOT": str(grader_root)}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "duet_harness.grade"],
        input=json.dumps(payload).encode(),
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout), len(done.stdout)


def test_the_harness_reports_each_tests_exchanges(server_url, tmp_path):
    report, _ = run_harness(server_url, tmp_path)
    failed, passed = report["tests"]
    assert failed["status"] == "fail" and failed["message"] == "GET /notes/1 should answer 200."
    [exchange] = failed["http"]
    assert (exchange["method"], exchange["path"], exchange["status"]) == ("GET", "/notes/1", 404)
    assert exchange["response_body"]["text"] == "no such page"
    assert passed["status"] == "pass" and [e["path"] for e in passed["http"]] == ["/json"]


def test_the_harness_drops_transcripts_before_its_report_outgrows_the_runners_cap(server_url, tmp_path):
    _, size = run_harness(server_url, tmp_path / "whole")
    cap = size - 100
    cut, cut_size = run_harness(server_url, tmp_path / "cut", report_bytes=cap)
    assert cut_size <= cap
    failed, passed = cut["tests"]
    assert [e["path"] for e in failed["http"]] == ["/notes/1"]  # the failing test's is kept
    assert passed["http"] == [] and "output limit" in passed["http_note"]
