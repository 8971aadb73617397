"""Hostile submissions, run for real in the sandbox. Each ends in a clear non-pass verdict
within the time limit, names the limit it hit, leaves no container or process behind,
and leaves grading healthy for the next submission. (CPU loops at import and in a view,
and a memory bomb at import, are in test_sandbox.py.)

These apps never try to reach any address outside the container: they only look at
what the container lets them see."""

from __future__ import annotations

import time
import uuid

import pytest

from sandbox import grading, runner
from sandbox.runner import SANDBOX_LABEL, sandbox_runtime
from tests.conftest import solution_files

pytestmark = pytest.mark.docker

SERVE = """
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "Web App with Python Flask!"
"""

# Probes print each line in one write: the app's stdout and stderr reach the log through
# separate pipes, and print()'s write per part lets a line of the other stream land mid-line.
WHOLE_LINES = "\nimport sys\ndef print(*parts):\n    sys.stdout.write(' '.join(map(str, parts)) + '\\n')\n"


@pytest.fixture
def flask_hello(course, docker_engine):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture(autouse=True)
def run_label(docker_engine):
    """Every run of a test carries its label; none of those containers may remain."""
    label = f"hostile-{uuid.uuid4().hex[:8]}"
    yield label
    assert runner.REMOVALS.wait(), "a container's removal did not end"
    left = docker_engine.containers.list(all=True, filters={"label": [SANDBOX_LABEL, f"duet.test={label}"]})
    assert left == [], f"sandbox containers left behind: {[c.name for c in left]}"


def run(exercise, source: str, label: str, **limits) -> tuple[dict, float]:
    exercise.limits = {"wall_seconds": 6, **limits}
    started = time.monotonic()
    result = grading.grade(exercise, {"app.py": source}, labels={"duet.test": label})
    return result, time.monotonic() - started


def within_the_limit(result: dict, took: float, wall: float = 6) -> bool:
    """The runner stopped the run by its own clock (which starts before the container is
    created and is polled every 0.5 s), and the verdict did not wait on a hung engine.
    Docker's kill and removal of a container full of spinning processes takes seconds on
    a loaded 2-core machine (11.2 s in all was seen in CI for a 6 s fork bomb), so the
    second bound only catches a cleanup that hangs."""
    stopped = result["timings"]["finished"]
    return stopped <= wall + 1 and took < wall + 30


def test_a_fork_bomb_ends_in_an_error_naming_the_process_limit(flask_hello, run_label):
    source = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    result, took = run(flask_hello, source, run_label)
    assert result["status"] == "error", result
    if sandbox_runtime() == "runsc" and result["limit"] == "memory":
        # Under gVisor each process costs its kernel real memory: a Python fork bomb
        # reaches the memory limit (256 MiB) before 128 processes, and is named so.
        assert "of memory it may use" in result["message"], result
    else:
        assert result["limit"] == "processes", result
        assert "128 processes" in result["message"]
    assert within_the_limit(result, took), (result["timings"], took)


def test_a_memory_bomb_in_a_view_ends_in_a_memory_error(flask_hello, run_label):
    source = SERVE.replace(
        'return "Web App with Python Flask!"', "hog = []\n    while True:\n        hog.append(bytearray(2**23))"
    )
    result, took = run(flask_hello, source, run_label, memory_mb=128)
    assert result["status"] == "error" and result["limit"] == "memory", result
    assert within_the_limit(result, took), (result["timings"], took)


def test_sleeping_in_a_view_fails_each_test_with_a_timeout(flask_hello, run_label):
    source = SERVE.replace('return "Web App', 'import time\n    time.sleep(60)\n    return "Web App')
    result, took = run(flask_hello, source, run_label)
    assert result["status"] in {"fail", "error"}, result
    messages = " ".join(t["message"] for t in result["tests"]) + result["message"]
    assert "no answer within 3 s" in messages or result["limit"] == "time"
    assert within_the_limit(result, took), (result["timings"], took)


def test_huge_output_on_both_streams_is_capped_and_never_passes(flask_hello, run_label):
    source = "import sys\nwhile True:\n    print('x' * 10000)\n    print('y' * 10000, file=sys.stderr)\n"
    result, took = run(flask_hello, source, run_label)
    assert result["status"] == "error" and result["limit"] == "time", result
    assert len(result["app_log"]) <= 2 * 64 * 1024 + 1000
    assert "cut" in (result["app_log_note"] or "")
    assert within_the_limit(result, took), (result["timings"], took)


def test_filling_the_disk_stops_at_the_small_tmpfs_with_a_clear_message(flask_hello, run_label):
    source = (
        "for folder in ('/app', '/tmp'):\n"
        "    with open(folder + '/fill', 'wb') as f:\n"
        "        while True:\n"
        "            f.write(b'0' * 1024 * 1024)\n"
    )
    result, took = run(flask_hello, source, run_label)
    assert result["status"] == "error", result
    assert "File too large" in result["message"] or "No space left on device" in result["message"], result
    assert "an app may write only a few MiB" in result["message"]
    assert within_the_limit(result, took), (result["timings"], took)


def test_writing_outside_the_scratch_folders_is_refused(flask_hello, run_label):
    probe = (
        SERVE
        + WHOLE_LINES
        + (
            "\nimport os\n"
            "for path in ('/etc/passwd', '/usr/lib/x', '/opt/duet/lib/python3.11/site-packages/pytest.py', '/grader/x'):\n"
            "    try:\n"
            "        open(path, 'a').close()\n"
            "        print('WROTE', path)\n"
            "    except OSError as exc:\n"
            "        print('refused', path, type(exc).__name__)\n"
            "raise SystemExit('done looking')\n"
        )
    )
    result, _ = run(flask_hello, probe, run_label)
    assert result["status"] == "error"
    assert "WROTE" not in result["app_log"], result["app_log"]
    assert result["app_log"].count("refused") == 4


def test_a_background_process_dies_with_the_run_and_is_unseen_by_the_next(flask_hello, run_label):
    lingerer = SERVE + (
        "\nimport os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        open('/tmp/i-was-here', 'w').write(str(os.getpid()))\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n"
        "raise SystemExit('the parent gives up; its grandchild lives on')\n"
    )
    result, took = run(flask_hello, lingerer, run_label)
    assert result["status"] == "error"
    assert within_the_limit(result, took), (result["timings"], took)
    looker = (
        SERVE
        + WHOLE_LINES
        + (
            "\nimport os\n"
            "print('marker:', os.path.exists('/tmp/i-was-here'))\n"
            "mine = [p for p in os.listdir('/proc') if p.isdigit()]\n"
            "cmds = [open(f'/proc/{p}/cmdline', 'rb').read().split(b'\\0')[0].decode(errors='replace') for p in mine]\n"
            "print('processes:', len(mine), sorted(set(c.rsplit('/', 1)[-1] for c in cmds if c)))\n"
        )
    )
    result, _ = run(flask_hello, looker, run_label)
    assert result["status"] == "pass", result
    assert "marker: False" in result["app_log"]
    assert "sleep" in result["app_log"] and "600" not in result["app_log"].split("processes:")[1]


def test_the_app_sees_no_network_no_host_no_secrets_and_no_docker_socket(flask_hello, run_label):
    probe = (
        SERVE
        + WHOLE_LINES
        + (
            "\nimport os, socket\n"
            "def attempt(fn):\n"
            "    try:\n"
            "        return repr(fn())[:60]\n"
            "    except Exception as exc:\n"
            "        return type(exc).__name__\n"
            "print('interfaces:', [name for _, name in socket.if_nameindex()])\n"
            "print('env:', sorted(os.environ))\n"
            "print('docker.sock:', attempt(lambda: os.stat('/var/run/docker.sock')), attempt(lambda: os.stat('/run/docker.sock')))\n"
            "print('pids:', len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
            "print('grader:', attempt(lambda: os.listdir('/grader')))\n"
            "print('mounts:', sorted(line.split()[1] for line in open('/proc/mounts') if line.split()[1].startswith(('/app', '/tmp', '/grader', '/var/run', '/work', '/root', '/home'))))\n"
            "print('caps:', [line.split()[1] for line in open('/proc/self/status') if line.startswith('CapEff')])\n"
            "print('uid:', os.getuid(), 'gid:', os.getgid())\n"
        )
    )
    result, _ = run(flask_hello, probe, run_label)
    log = result["app_log"]
    assert "interfaces: ['lo']" in log
    env_line = next(line for line in log.splitlines() if line.startswith("env:"))
    for secret in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DOCKER_HOST", "DJANGO_SETTINGS"):
        assert secret not in env_line, env_line
    assert "docker.sock: FileNotFoundError FileNotFoundError" in log
    pids = int(log.split("pids:")[1].split()[0])
    assert pids < 10, f"the app sees {pids} processes: the host's would be hundreds"
    assert "grader: PermissionError" in log
    assert "mounts: ['/app', '/grader', '/tmp']" in log, log
    assert "caps: ['0000000000000000']" in log
    assert "uid: 10001 gid: 10001" in log


def test_after_every_hostile_run_grading_still_works(flask_hello, run_label):
    result = grading.grade(flask_hello, solution_files("flask-hello"))
    assert result["status"] == "pass"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_stays_healthy_after_a_fork_bomb_and_a_memory_bomb(course, learner, celery_worker):
    from django.test import Client

    from tests.conftest import PASSWORD, wait_for_verdict

    client = Client()
    client.login(username="learner", password=PASSWORD)

    def submit(source: str) -> int:
        response = client.post(
            f"/courses/{course.slug}/exercises/flask-hello/submit/",
            {"file:app.py": source},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    bombs = [
        submit("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"),
        submit("hog = []\nwhile True:\n    hog.append(bytearray(2**23))\n"),
    ]
    limits = {wait_for_verdict(sid).result["limit"] for sid in bombs}
    # Under gVisor a fork bomb may reach the memory limit first (the test above).
    assert limits == (
        {"memory"} if sandbox_runtime() == "runsc" and "processes" not in limits else {"processes", "memory"}
    )
    assert wait_for_verdict(submit(solution_files("flask-hello")["app.py"])).status == "pass"
