"""In headless Chromium, against the site served as make start serves it (course.asgi
under uvicorn): a verdict is pushed to the page (no request to the status URL), the page
polls when the stream cannot be opened, and it reconnects after Redis restarts."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sandbox.models import Submission
from sandbox.services import submission_claim, submission_record
from tests.browser.conftest import log_in
from tests.conftest import solution_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server(transactional_db):
    """course.asgi under uvicorn in a thread, on the test database (static files from the
    finders, as Django's live server serves them)."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from course.asgi import application

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(10)


def _requests(page, part: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if part in request.url else None)
    return seen


def _print_times(how: str, clicked: float) -> None:
    """For the record (no assertion): click → visible, and recorded → visible."""
    seen, now = time.monotonic(), timezone.now()
    lag = (now - Submission.objects.get().finished_at).total_seconds()
    print(f"{how}: click → verdict visible {seen - clicked:.3f} s; recorded → visible ≤ {lag:.3f} s")


def _submit_flask_hello(page, server, course) -> float:
    """Open the exercise, put the solution in the editor, submit; the click's time."""
    page.goto(f"{server.url}{course.exercises.get(slug='flask-hello').get_absolute_url()}")
    page.wait_for_selector(".ace-holder .ace_content")
    page.evaluate("text => window.duetWorkspace.editor.setValue(text, 1)", solution_files("flask-hello")["app.py"])
    clicked = time.monotonic()
    page.click("#submit-button")
    return clicked


@pytest.mark.docker
@pytest.mark.worker
def test_the_verdict_is_pushed_to_the_page_without_polling(page, asgi_server, course, learner, celery_worker):
    statuses, streams = _requests(page, "/status/"), _requests(page, "/stream/")
    log_in(page, asgi_server, "learner")
    clicked = _submit_flask_hello(page, asgi_server, course)
    page.wait_for_selector("#result .status-pass", timeout=60000)
    _print_times("pushed", clicked)
    assert "Passed" in page.inner_text("#result .verdict")
    assert page.locator("#attempts .attempt").count() == 1
    assert statuses == []  # pushed, never asked for
    assert len(streams) == 1
    assert Submission.objects.get().status == "pass"


@pytest.mark.docker
@pytest.mark.worker
def test_without_the_stream_the_page_polls_for_the_verdict(page, asgi_server, course, learner, celery_worker):
    page.route("**/stream/", lambda route: route.abort())
    statuses = _requests(page, "/status/")
    log_in(page, asgi_server, "learner")
    clicked = _submit_flask_hello(page, asgi_server, course)
    page.wait_for_selector("#result .status-pass", timeout=60000)
    _print_times("polled", clicked)
    assert page.locator("#attempts .attempt").count() == 1
    assert statuses  # the fallback


@pytest.fixture
def private_redis(settings, tmp_path):
    """A Redis of this test's own (the shared one is never restarted), which the site's
    events use: ``restart()`` stops it, then ``start()`` brings it back on its port."""
    port = _free_port()

    class Redis:
        proc: subprocess.Popen | None = None

        def start(self):
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    return
                except OSError:
                    assert time.monotonic() < deadline, "redis-server did not start"
                    time.sleep(0.05)

        def stop(self):
            self.proc.terminate()
            self.proc.wait(10)

    redis = Redis()
    redis.start()
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    yield redis
    if redis.proc.poll() is None:
        redis.stop()


def test_after_a_redis_restart_the_page_reconnects_and_shows_the_verdict(
    page, asgi_server, course, learner, private_redis
):
    exercise = course.exercises.get(slug="flask-hello")
    submission = Submission.objects.create(user=learner, exercise=exercise, exercise_version=exercise.version, files={})
    statuses, streams = _requests(page, "/status/"), _requests(page, "/stream/")
    log_in(page, asgi_server, "learner")
    page.goto(f"{asgi_server.url}{submission.get_absolute_url()}")
    page.wait_for_selector("#result .status-queued")
    deadline = time.monotonic() + 10
    while not streams:  # the page's stream is open (and subscribed before it sent "queued")
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)
    assert submission_claim(submission_id=submission.id)
    page.wait_for_selector("#result .status-running", timeout=5000)  # pushed
    assert len(streams) == 1

    private_redis.stop()
    result = {"version": 2, "status": "fail", "message": "Your home page answered 404.", "tests": []}
    assert submission_record(submission_id=submission.id, result=result)  # told to no one
    private_redis.start()

    page.wait_for_selector("#result .status-fail", timeout=15000)
    assert "answered 404" in page.inner_text("#result")
    assert len(streams) >= 2  # it reconnected
    assert statuses == []  # the stream came back: no fallback to polling

    # And the restarted Redis pushes again: a second submission's page hears its claim
    # on its first stream.
    second = Submission.objects.create(user=learner, exercise=exercise, exercise_version=exercise.version, files={})
    before = len(streams)
    page.goto(f"{asgi_server.url}{second.get_absolute_url()}")
    page.wait_for_selector("#result .status-queued")
    deadline = time.monotonic() + 10
    while len(streams) == before:
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # the stream's first event: subscribed
    assert submission_claim(submission_id=second.id)
    page.wait_for_selector("#result .status-running", timeout=5000)
    assert len(streams) == before + 1
    assert statuses == []
