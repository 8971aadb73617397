"""The real sandbox: each case runs in a fresh Docker container with the contract's
limits, and ends with a verdict and a message a learner can act on."""

import uuid

import pytest

from sandbox import grading, runner
from sandbox.runner import SANDBOX_LABEL

pytestmark = pytest.mark.docker

FLASK_OK = """from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "Web App with Python Flask!"
"""


@pytest.fixture
def flask_hello(course, docker_engine):
    return course.exercises.get(slug="flask-hello")


def grade_app(exercise, source, **limits):
    if limits:
        exercise.limits = limits
    return grading.grade(exercise, {"app.py": source})


def test_the_solution_passes(flask_hello):
    result = grade_app(flask_hello, FLASK_OK)
    assert result["status"] == "pass", result
    assert all(t["status"] == "pass" for t in result["tests"])


def test_an_infinite_loop_at_import_ends_as_a_timeout_error(flask_hello):
    result = grade_app(flask_hello, "while True:\n    pass\n", wall_seconds=3)
    assert (result["status"], result["limit"]) == ("error", "time"), result
    assert "3 s" in result["message"] and "loop" in result["message"]


def test_an_infinite_loop_in_a_view_fails_the_test_with_a_timeout_message(flask_hello):
    source = FLASK_OK.replace('return "Web App with Python Flask!"', "while True:\n        pass")
    result = grade_app(flask_hello, source, wall_seconds=8)
    assert result["status"] in ("fail", "error"), result
    text = result["message"] + " ".join(t["message"] for t in result["tests"])
    assert "no answer within" in text or "Time limit" in text


def test_a_memory_hog_ends_as_a_memory_error(flask_hello):
    source = "hog = []\nwhile True:\n    hog.append(bytearray(8 * 1024 * 1024))\n"
    result = grade_app(flask_hello, source, memory_mb=128)
    assert (result["status"], result["limit"]) == ("error", "memory"), result
    assert "128 MiB" in result["message"]


def test_a_syntax_error_names_the_file_and_line(flask_hello):
    source = "from flask import Flask\napp = Flask(__name__)\n\ndef index(:\n    return 'hi'\n"
    result = grade_app(flask_hello, source)
    assert result["status"] == "error", result
    assert "SyntaxError in app.py, line 4" in result["message"]
    assert "line 4" in result["app_log"]


def test_an_exception_at_import_names_the_line(flask_hello):
    result = grade_app(flask_hello, "from flask import Flask\napp = Flask(__name__)\nprint(1 / 0)\n")
    assert result["status"] == "error"
    assert "ZeroDivisionError in app.py, line 3: “division by zero”" in result["message"]


def test_the_apps_prints_appear_in_its_log(flask_hello):
    source = FLASK_OK.replace('    return "Web', '    print("handling the home page")\n    return "Web')
    source = 'print("starting up")\nimport sys\nprint("to stderr", file=sys.stderr)\n' + source
    result = grade_app(flask_hello, source)
    assert result["status"] == "pass", result
    log = result["app_log"]
    assert "starting up" in log and "to stderr" in log and "handling the home page" in log
    assert '"GET /" 200' in log


def test_huge_output_is_cut_at_the_cap_with_a_note(flask_hello):
    source = 'import sys\nsys.stdout.write("x" * 5_000_000)\nsys.stdout.flush()\n' + FLASK_OK
    result = grade_app(flask_hello, source)
    assert len(result["app_log"].encode()) <= 2 * 64 * 1024
    assert "stdout was cut after 64 KiB" in result["app_log_note"]


def test_exiting_at_import_is_never_a_pass(flask_hello):
    result = grade_app(flask_hello, "import os\nos._exit(0)\n")
    assert result["status"] == "error"
    assert "stopped" in result["message"]


def test_the_app_cannot_read_the_hidden_tests_or_reach_the_network(flask_hello):
    probe = """import os, socket
from flask import Flask
app = Flask(__name__)

def attempt(fn):
    try:
        fn()
        return "open"
    except Exception as exc:
        return type(exc).__name__

@app.route("/")
def index():
    tests = attempt(lambda: os.listdir("/grader"))
    # Never dial out, even to an address that should be blocked: list the interfaces.
    net = ",".join(name for _, name in socket.if_nameindex())
    sock = attempt(lambda: os.stat("/var/run/docker.sock"))
    print(f"tests: {tests} net: {net} docker.sock: {sock} uid: {os.getuid()}")  # one write
    return "Web App with Python Flask!"
"""
    result = grade_app(flask_hello, probe)
    log = result["app_log"]
    assert "tests: PermissionError" in log
    assert "net: lo " in log  # loopback only: the container has no network
    assert "docker.sock: FileNotFoundError" in log
    assert "uid: 10001" in log


def test_no_container_is_left_behind(flask_hello, docker_engine):
    # Its own label: the suite's worker may still be running another test's job.
    label = f"duet.test=left-behind-{uuid.uuid4().hex[:8]}"
    flask_hello.limits = {"wall_seconds": 2}
    result = grading.grade(flask_hello, {"app.py": "while True:\n    pass\n"}, labels=dict([label.split("=")]))
    assert result["limit"] == "time"
    assert runner.REMOVALS.wait(), "the removal did not end"  # it runs off the verdict's path
    assert docker_engine.containers.list(all=True, filters={"label": label}) == []


ONE_RUN_AND_EXIT = """
import json, sys
from sandbox import runner
request = runner.RunRequest(**json.loads(sys.argv[1]), limits=runner.Limits())
outcome = runner.run(request)
print(outcome.grader.stdout.text()[:40])
"""


def test_a_process_that_ends_after_a_run_leaves_no_container(docker_engine):
    # The container is removed after the verdict is read, off its path: a short-lived
    # process (check_course, manage.py grade) still waits for that before it exits.
    import json
    import subprocess
    import sys

    from django.conf import settings

    from tests.conftest import ROOT, exercise_folder, solution_files

    label = f"left-at-exit-{uuid.uuid4().hex[:8]}"
    tests = {p.name: p.read_text() for p in (exercise_folder("flask-hello") / "tests").glob("*.py")}
    request = {
        "image": settings.SANDBOX_IMAGES["flask"],
        "framework": "flask",
        "entrypoint": "app:app",
        "app_files": solution_files("flask-hello"),
        "test_files": tests,
        "labels": {"duet.test": label},
    }
    done = subprocess.run(
        [sys.executable, "-c", ONE_RUN_AND_EXIT, json.dumps(request)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert '"version": 2' in done.stdout  # the run was graded
    assert docker_engine.containers.list(all=True, filters={"label": f"duet.test={label}"}) == []


def test_orphan_containers_older_than_the_lease_are_removed(docker_engine):
    from sandbox.runner import remove_stale_containers

    orphan = docker_engine.containers.create(
        "duet-sandbox-flask:latest", command=["sleep", "60"], labels={SANDBOX_LABEL: "1", "duet.created": "1"}
    )
    fresh = docker_engine.containers.create(
        "duet-sandbox-flask:latest", command=["sleep", "60"], labels={SANDBOX_LABEL: "1", "duet.created": "9999999999"}
    )
    try:
        assert remove_stale_containers(older_than=300) >= 1  # another run may have left one too
        ids = [c.id for c in docker_engine.containers.list(all=True, filters={"label": SANDBOX_LABEL})]
        assert orphan.id not in ids and fresh.id in ids
    finally:
        fresh.remove(force=True)
