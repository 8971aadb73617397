"""docker-compose.yml, for real, as an operator's first `docker-compose up`: images built
here with no registry (deploy/build.sh), web, two workers, beat, Redis and PostgreSQL
started, health checks passed; a new learner signs up over HTTP, enrols and submits a
Flask and a Django exercise, gets both verdicts; then everything is brought down with
its volumes."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time

import pytest
import requests

from tests.conftest import ROOT, solution_files

pytestmark = [pytest.mark.docker]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SAID: list[str] = []


def say(started: float, text: str) -> None:
    SAID.append(f"[compose {time.monotonic() - started:6.1f} s] {text}")


@pytest.fixture
def compose_stack():
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: apt-get install docker-compose (scripts/install.sh --dev does)"
    started = time.monotonic()
    build = subprocess.run(["bash", "deploy/build.sh"], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    say(started, "images built (or up to date)")
    port = free_port()
    project = f"duet-smoke-{secrets.token_hex(3)}"
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(20),
        "DUET_DOCKER_GID": str(os.stat("/var/run/docker.sock").st_gid),
        "DUET_PORT": str(port),
        "COMPOSE_PROJECT_NAME": project,
    }
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([compose, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if check:
            assert done.returncode == 0, (
                f"docker-compose {' '.join(args)}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
            )
        return done

    run("up", "-d", "--scale", "worker=2")
    say(started, f"docker-compose up -d --scale worker=2 returned (project {project}, port {port})")
    try:
        yield f"http://127.0.0.1:{port}", run, started
    finally:
        logs = run("logs", "--tail", "40", check=False).stdout
        down = run("down", "--volumes", "--remove-orphans", "--timeout", "20", check=False)
        say(started, f"docker-compose down --volumes: rc {down.returncode}")
        left = subprocess.run(
            ["docker", "ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={project}"],
            capture_output=True,
            text=True,
        ).stdout.split()
        volumes = subprocess.run(
            ["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={project}"],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert down.returncode == 0 and not left and not volumes, f"{down.stderr}\nleft: {left} {volumes}\n{logs}"


def wait_healthy(base: str, started: float, timeout: float = 300) -> dict:
    """Until /healthz says ok and two workers whose engines work have reported."""
    deadline = time.monotonic() + timeout
    report: dict = {}
    while time.monotonic() < deadline:
        try:
            response = requests.get(f"{base}/healthz", timeout=5)
            report = response.json()
            graders = [w for w in report["workers"] if w["engine"]["ok"]]
            if response.status_code == 200 and len(graders) >= 2:
                say(
                    started, f"healthy: database {report['database']['vendor']}, workers {[w['node'] for w in graders]}"
                )
                return report
        except (requests.RequestException, ValueError):
            pass
        time.sleep(2)
    raise AssertionError(f"the stack did not become healthy in {timeout} s: {report}")


def csrf(session: requests.Session, url: str) -> str:
    """GET ``url`` as a browser would first; the CSRF token to send with the next POST."""
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return session.cookies["csrftoken"]


@pytest.fixture
def told(capsys):
    """What the smoke test did, step by step, in the run's own output."""
    SAID.clear()
    yield
    with capsys.disabled():
        print("\n" + "\n".join(SAID))


def test_the_compose_deployment_grades_a_new_learners_submissions(told, compose_stack):
    base, run, started = compose_stack
    wait_healthy(base, started)
    learner = requests.Session()
    name = f"smoke-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(16)
    token = csrf(learner, f"{base}/accounts/signup/")
    signed_up = learner.post(
        f"{base}/accounts/signup/",
        {"username": name, "password1": password, "password2": password, "csrfmiddlewaretoken": token},
        timeout=10,
    )
    assert signed_up.status_code == 200 and name in signed_up.text, signed_up.text[-1500:]
    say(started, f"signed up {name}")
    home = learner.get(f"{base}/", timeout=10).text
    course = re.search(r'href="/courses/([\w-]+)/"', home).group(1)
    token = csrf(learner, f"{base}/courses/{course}/")
    enrolled = learner.post(f"{base}/courses/{course}/enrol/", {"csrfmiddlewaretoken": token}, timeout=10)
    assert enrolled.status_code == 200 and "You are enrolled" in enrolled.text
    say(started, f"enrolled in {course}")

    for slug in ("flask-hello", "django-hello"):
        token = csrf(learner, f"{base}/courses/{course}/exercises/{slug}/")
        data = {f"file:{path}": text for path, text in solution_files(slug).items()}
        submitted = learner.post(
            f"{base}/courses/{course}/exercises/{slug}/submit/",
            {**data, "csrfmiddlewaretoken": token},
            headers={"Accept": "application/json"},
            timeout=10,
        )
        assert submitted.status_code == 201, submitted.text
        sent = time.monotonic()
        status_url = f"{base}/submissions/{submitted.json()['id']}/status/"
        status = {}
        while time.monotonic() - sent < 120:
            status = learner.get(status_url, timeout=10).json()
            if status["final"]:
                break
            time.sleep(0.2)
        assert status.get("final") and status["status"] == "pass", status
        say(started, f"{slug}: verdict {status['status']} {time.monotonic() - sent:.1f} s after submitting")

    workers = run("ps", "--services", "--filter", "status=running").stdout.split()
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(workers), workers
