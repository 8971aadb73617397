"""Submit → verdict, measured: the same hidden tests run bare on this machine (the
baseline), in the sandbox without the queue, and through the web's service, Redis and a
real Celery worker. Prints the figures; asserts nothing.

    .venv/bin/python scripts/bench_grading.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="duet-bench-"))
os.environ.update(
    DUET_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="course.settings", DUET_QUEUE=f"duet-bench-{os.getpid()}"
)
# One learner submits run after run: lift the throttles (per learner, per address, in all;
# sign-ups too) for this private instance, or the 11th run in a minute would be refused.
os.environ.update(
    DUET_SUBMISSION_RATE="100000",
    DUET_SUBMISSION_MAX_PENDING="100000",
    DUET_SANDBOX_PENDING_PER_ADDRESS="100000",
    DUET_SANDBOX_PENDING_TOTAL="100000",
    DUET_SIGNUP_RATE="100000",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from lessons.course_import import course_import  # noqa: E402
from lessons.models import Exercise  # noqa: E402
from sandbox import grading  # noqa: E402
from sandbox.models import Submission  # noqa: E402
from sandbox.services import submission_create  # noqa: E402

COURSE = ROOT / "lessons" / "content" / "flask-and-django"
IMAGES = ROOT / "sandbox" / "images"
HARNESS = ROOT / "sandbox" / "harness"


def solution(exercise: Exercise) -> dict[str, str]:
    return exercise.laid_over_starter(exercise.files_of("solution"))


def bare_venv(framework: str) -> Path:
    """A host venv with exactly the image's packages, from the wheels build.sh fetched."""
    venv = ROOT / "var" / f"bench-venv-{framework}"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [
                str(venv / "bin" / "pip"),
                "install",
                "-q",
                "--no-index",
                "--find-links",
                str(ROOT / "var" / "images" / f"wheels-{framework}"),
                "-r",
                str(IMAGES / f"requirements-{framework}.txt"),
            ],
            check=True,
        )
    return venv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_bare(exercise: Exercise) -> float:
    """The harness's two processes, started in parallel on the host, no container."""
    python = str(bare_venv(exercise.framework) / "bin" / "python")
    port = free_port()
    with tempfile.TemporaryDirectory() as app_root, tempfile.TemporaryDirectory() as grader_root:
        env = {**os.environ, "PYTHONPATH": str(HARNESS), "DUET_APP_ROOT": app_root, "DUET_GRADER_ROOT": grader_root}
        env.pop("DJANGO_SETTINGS_MODULE")
        started = time.perf_counter()
        app = subprocess.Popen(
            [
                python,
                "-u",
                "-m",
                "duet_harness.serve",
                "--framework",
                exercise.framework,
                "--entrypoint",
                exercise.entrypoint,
                "--port",
                str(port),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        grader = subprocess.Popen(
            [python, "-u", "-m", "duet_harness.grade"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        app.stdin.write(json.dumps({"files": grading.app_files_for(exercise, solution(exercise))}).encode())
        app.stdin.close()
        out, _ = grader.communicate(json.dumps({"files": exercise.files_of("tests"), "port": port}).encode())
        elapsed = time.perf_counter() - started
        app.kill()
        app.wait()
    report = json.loads(out)
    assert all(t["status"] == "pass" for t in report["tests"]), report
    return elapsed


def run_sandbox(exercise: Exercise) -> float:
    started = time.perf_counter()
    result = grading.grade(exercise, solution(exercise))
    assert result["status"] == "pass", result
    return time.perf_counter() - started


def run_queue(exercise: Exercise, user) -> float:
    started = time.perf_counter()
    submission = submission_create(user=user, exercise=exercise, files=solution(exercise))
    while True:
        row = Submission.objects.only("status").get(id=submission.id)
        if row.is_final:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    assert row.status == "pass", row.status
    return elapsed


def summary(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.3f} s  min {min(samples):.3f}  max {max(samples):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0)
    course_import(COURSE)
    user = get_user_model().objects.create_user("bench", password=None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "course",
            "worker",
            "-Q",
            os.environ["DUET_QUEUE"],
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from course.celery import app as celery_app

    celery_app.conf.task_default_queue = os.environ["DUET_QUEUE"]
    try:
        time.sleep(4)  # let the worker connect
        print(f"{runs} runs each, {os.cpu_count()} CPUs")
        for slug in ("flask-hello", "django-hello"):
            exercise = Exercise.objects.get(slug=slug)
            run_bare(exercise)  # warm the host's caches once
            for label, fn in (
                ("bare on host", run_bare),
                ("sandbox, no queue", run_sandbox),
                ("submit → verdict (queue + worker)", lambda e: run_queue(e, user)),
            ):
                samples = [fn(exercise) for _ in range(runs)]
                print(f"{slug:13} {label:34} {summary(samples)}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
