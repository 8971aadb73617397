"""Shared test fixtures. The parts named in a test are real: Docker, Redis, a Celery
worker in its own process, Chromium. When one is missing the suite fails loudly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from course.models import Enrollment
from lessons.course_import import course_import

ROOT = Path(__file__).resolve().parent.parent
# Course folders used as test data: their tests/ are an exercise's hidden tests, run in
# the sandbox against a learner's app, not tests of Duet.
collect_ignore = ["fixtures"]
COURSE_DIR = ROOT / "lessons" / "content" / "flask-and-django"
PASSWORD = "correct-horse-battery-staple"


def signed_in(username: str, **client_kwargs) -> Client:
    """A test client logged in as ``username`` (whose password is PASSWORD)."""
    client = Client(**client_kwargs)
    assert client.login(username=username, password=PASSWORD)
    return client


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config, items):
    """With DUET_DATABASE_TESTS_ONLY=1 (scripts/test.sh's PostgreSQL pass) only the tests
    that touch the database run: those asking for it, directly or through a fixture."""
    if os.environ.get("DUET_DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        uses = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db")
        (keep if uses else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def course(db):
    """The shipped course, imported as `import_course` would."""
    course, _ = course_import(COURSE_DIR)
    return course


def _person(username: str, course=None, role: str | None = None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if course is not None and role is not None:
        Enrollment.objects.create(user=user, course=course, role=role)
    return user


@pytest.fixture
def learner(course):
    return _person("learner", course, Enrollment.Role.LEARNER)


@pytest.fixture
def other_learner(course):
    return _person("other-learner", course, Enrollment.Role.LEARNER)


@pytest.fixture
def grader(course):
    return _person("grader", course, Enrollment.Role.GRADER)


@pytest.fixture
def instructor(course):
    return _person("instructor", course, Enrollment.Role.INSTRUCTOR)


@pytest.fixture
def other_course(db):
    """A second course, with no lessons: its staff have no rights in the shipped one."""
    from lessons.models import Course

    return Course.objects.create(slug="other-course", title="Another course")


@pytest.fixture
def other_instructor(other_course):
    return _person("other-instructor", other_course, Enrollment.Role.INSTRUCTOR)


@pytest.fixture
def other_grader(other_course):
    return _person("other-grader", other_course, Enrollment.Role.GRADER)


@pytest.fixture
def outsider(db):
    """Signed up, but not enrolled in the course."""
    return _person("outsider")


def exercise_folder(slug: str) -> Path:
    matches = list(COURSE_DIR.glob(f"*/{slug}"))
    assert matches, f"no exercise folder {slug}"
    return matches[0]


def solution_files(slug: str) -> dict[str, str]:
    folder = exercise_folder(slug) / "solution"
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}


def starter_files(slug: str, editable: list[str]) -> dict[str, str]:
    folder = exercise_folder(slug) / "starter"
    return {path: (folder / path).read_text() for path in editable if (folder / path).exists()}


@pytest.fixture(autouse=True)
def _login_lockout_only_where_asked(request, settings):
    """django-axes refuses authenticate() without a request, and the test client's login()
    gives none; the lockout is on for tests marked ``login_lockout``, which log in through
    the login page as a person does."""
    if request.node.get_closest_marker("login_lockout") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(scope="session")
def docker_engine():
    """The real Docker engine with the sandbox images built; fails (never skips) if not."""
    import docker

    client = docker.from_env()
    client.ping()
    for image in settings.SANDBOX_IMAGES.values():
        try:
            client.images.get(image)
        except docker.errors.ImageNotFound:
            pytest.fail(f"sandbox image {image} is missing: run sandbox/images/build.sh")
    return client


@pytest.fixture(scope="session")
def redis_server():
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL}: {exc}")
    return client


@pytest.fixture(scope="session")
def celery_queue():
    """A queue of our own, so a running Duet on this machine never takes our tasks."""
    from course.celery import app

    name = f"duet-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = name
    return name


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, docker_engine, redis_server, celery_queue, tmp_path_factory):
    """A real Celery worker process on Redis, sharing the test database file."""
    proc = start_celery_worker(celery_queue, tmp_path_factory.mktemp("worker") / "worker.log")
    yield proc
    stop_celery_worker(proc)


def shared_database_url() -> str:
    """The URL of the database this test run uses (SQLite's file or PostgreSQL's test
    database), for the processes a test starts: they must see the same rows."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    from urllib.parse import quote

    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/{quote(db['NAME'])}"


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def start_celery_worker(
    queue: str, log_path, env: dict[str, str] | None = None, *, node: str | None = None
) -> subprocess.Popen:
    """Start a Celery worker on ``queue`` (its log at ``log_path``, ``env`` added to
    ours, its node name ``node`` or ``<queue>@<host>``) and wait until it is ready."""
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "DUET_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "course",
                "worker",
                "-Q",
                queue,
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                node or f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while b" ready." not in log_path.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    proc.log_path = log_path
    return proc


def stop_celery_worker(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wait_for_verdict(submission_id: int, timeout: float = 60):
    from sandbox.models import Submission

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission = Submission.objects.get(id=submission_id)
        if submission.is_final:
            return submission
        time.sleep(0.1)
    raise AssertionError(f"submission {submission_id} got no verdict within {timeout} s (status {submission.status})")
