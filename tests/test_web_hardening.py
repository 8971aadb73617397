"""Web hardening: a Content Security Policy, per-learner submission limits, and
production settings that `manage.py check --deploy` finds nothing wrong with. (CSRF,
file names and encodings are in tests/sandbox/test_views.py and test_services.py.)"""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from sandbox.models import Submission
from tests.conftest import PASSWORD, ROOT, solution_files


@pytest.fixture
def signed_in(learner):
    client = Client()
    client.login(username="learner", password=PASSWORD)
    return client


def submit(client, course, slug="flask-hello"):
    data = {f"file:{path}": text for path, text in solution_files(slug).items()}
    return client.post(f"/courses/{course.slug}/exercises/{slug}/submit/", data, HTTP_ACCEPT="application/json")


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, course):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"


def test_a_learner_who_submits_too_often_is_asked_to_wait(signed_in, course, settings):
    settings.SUBMISSION_RATE, settings.SUBMISSION_MAX_PENDING = 3, 100
    for _ in range(3):
        assert submit(signed_in, course).status_code == 201
    refused = submit(signed_in, course)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "submitted 3 times in the last 60 seconds" in refused.json()["error"]
    assert Submission.objects.count() == 3, "the refused attempt stored nothing"


def test_a_learner_with_submissions_waiting_is_asked_to_wait(signed_in, course, settings):
    settings.SUBMISSION_MAX_PENDING = 2
    assert submit(signed_in, course).status_code == 201
    assert submit(signed_in, course).status_code == 201
    refused = submit(signed_in, course)
    assert refused.status_code == 429
    assert "2 submissions waiting for a verdict" in refused.json()["error"]
    Submission.objects.update(status="pass")
    assert submit(signed_in, course).status_code == 201


def test_limits_are_per_learner(signed_in, course, other_learner, settings):
    settings.SUBMISSION_MAX_PENDING = 1
    assert submit(signed_in, course).status_code == 201
    other = Client()
    other.login(username="other-learner", password=PASSWORD)
    assert submit(other, course).status_code == 201


def test_without_javascript_a_throttled_learner_sees_why(signed_in, course, settings):
    settings.SUBMISSION_MAX_PENDING = 1
    submit(signed_in, course)
    data = {f"file:{p}": t for p, t in solution_files("flask-hello").items()}
    response = signed_in.post(f"/courses/{course.slug}/exercises/flask-hello/submit/", data, follow=True)
    assert "waiting for a verdict" in response.text


def test_production_settings_pass_check_deploy():
    # As a server would run: without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "DUET_HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "duet.example.org",
        "DJANGO_SETTINGS_MODULE": "course.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_cookies_are_secure_and_http_only():
    env = {**os.environ, "DUET_HTTPS": "true", "SECRET_KEY": secrets.token_urlsafe(64)}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "course.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[true, true, true, true, true]", done.stderr
