"""Grade forgery, tried for real in the sandbox: none of these may give ``pass``. Each app
below is wrong (it does not serve the greeting), so only a forged result could pass it."""

from __future__ import annotations

import json

import pytest

from sandbox import grading
from sandbox.runner import sandbox_runtime
from sandbox.services import SubmissionRefused, submission_files_clean

pytestmark = pytest.mark.docker

WRONG_APP = """
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "not the greeting"
"""

FAKE_REPORT = json.dumps(
    {
        "version": 2,
        "app_ready": True,
        "pytest_exit_code": 0,
        "collected": 4,
        "tests": [{"name": f"t{i}", "status": "pass", "message": "", "output": ""} for i in range(4)],
    }
)


@pytest.fixture
def flask_hello(course, docker_engine):
    exercise = course.exercises.get(slug="flask-hello")
    exercise.limits = {"wall_seconds": 8}
    return exercise


def grade(exercise, files: dict[str, str]) -> dict:
    return grading.grade_files(
        framework=exercise.framework,
        entrypoint=exercise.entrypoint,
        app_files=files,  # straight to the sandbox: past the web's file-name checks
        test_files=exercise.files_of("tests"),
        limits=grading.limits_for(exercise),
    )


@pytest.mark.parametrize(
    "exit_call",
    [
        "import sys; sys.exit(0)",
        "import os; os._exit(0)",
        "raise SystemExit(0)",
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
    ],
)
def test_exiting_early_at_import_is_never_a_pass(flask_hello, exit_call):
    result = grade(flask_hello, {"app.py": exit_call + "\n"})
    assert result["status"] == "error", result
    assert result["tests"] == [] or all(t["status"] != "pass" for t in result["tests"])


def test_printing_a_fake_report_and_test_summary_is_never_a_pass(flask_hello):
    app = (
        "import sys\n"
        f"print({FAKE_REPORT!r})\n"
        f"print({FAKE_REPORT!r}, file=sys.stderr)\n"
        "print('============================== 4 passed in 0.12s ==============================')\n"
        "print('All 4 tests passed.')\n" + WRONG_APP
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "fail", result
    assert "4 passed" in result["app_log"], "the fake summary stays in the app's own log"


def test_writing_fake_result_files_wherever_it_can_is_never_a_pass(flask_hello):
    app = WRONG_APP + (
        "\nimport os\n"
        f"REPORT = {FAKE_REPORT!r}\n"
        "for folder in ('/tmp', '/app', '/grader', '/grader/tests', '/grader/tmp', '/opt/duet', '/'):\n"
        "    for name in ('report.json', 'results.json', '.pytest_cache', 'result.json'):\n"
        "        try:\n"
        "            with open(os.path.join(folder, name), 'w') as f:\n"
        "                f.write(REPORT)\n"
        "            print(f'wrote {folder} {name}')\n"
        "        except OSError as exc:\n"
        "            pass\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "fail", result
    written = [line for line in result["app_log"].splitlines() if line.startswith("wrote")]
    assert all(line.split()[1] in {"/tmp", "/app"} for line in written), written


@pytest.mark.parametrize(
    "name, text",
    [
        (
            "conftest.py",
            "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
            "    outcome = yield\n    report = outcome.get_result()\n    report.outcome = 'passed'\n",
        ),
        ("sitecustomize.py", "import builtins\nbuiltins.__dict__['AssertionError'] = type('Nope', (Exception,), {})\n"),
        ("pytest.ini", "[pytest]\naddopts = -p no:duet_harness.plugin --co\n"),
        ("pyproject.toml", '[tool.pytest.ini_options]\naddopts = "--collect-only"\n'),
        ("usercustomize.py", "import sys\nsys.exit(0)\n"),
        ("tests/test_extra.py", "def test_always(): pass\n"),
    ],
)
def test_extra_files_that_would_bend_pytest_change_nothing(flask_hello, name, text):
    with pytest.raises(SubmissionRefused, match="not a file you can submit"):
        submission_files_clean(exercise=flask_hello, files={"app.py": WRONG_APP, name: text})
    # And even if one got past the web's checks, it lands in the app's folder, not the tests'.
    result = grade(flask_hello, {"app.py": WRONG_APP, name: text})
    assert result["status"] == "fail", result
    assert len(result["tests"]) == 4


def test_monkeypatching_the_test_framework_from_the_app_changes_nothing(flask_hello):
    app = WRONG_APP + (
        "\nimport importlib, sys\n"
        "for target in ('_pytest/runner.py', 'duet_harness/plugin.py', 'duet_harness/grade.py'):\n"
        "    path = '/opt/duet/lib/python3.11/site-packages/' + target\n"
        "    try:\n"
        "        open(path, 'a').write('\\nraise SystemExit(0)\\n')\n"
        "        print('patched', target)\n"
        "    except OSError as exc:\n"
        "        print('refused', target, type(exc).__name__)\n"
        "import _pytest.runner\n"
        "_pytest.runner.call_and_report = lambda *a, **k: None  # only this process's copy\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "fail", result
    assert "patched" not in result["app_log"]


def test_killing_every_other_process_cannot_stop_the_tests_reporting(flask_hello):
    app = WRONG_APP + (
        "\nimport os, signal\n"
        "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
        "    if pid != os.getpid():\n"
        "        try:\n"
        "            os.kill(pid, signal.SIGKILL)\n"
        "            print('killed', pid)\n"
        "        except OSError as exc:\n"
        "            print('could not kill', pid, type(exc).__name__)\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "fail", result
    assert len(result["tests"]) == 4, "the grader lived to report every test"
    assert "killed" not in result["app_log"].replace("could not kill", "")


def test_an_app_that_never_answers_is_never_a_pass(flask_hello):
    app = "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 8000))\ns.listen()\ntime.sleep(60)\n"
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] in {"fail", "error"}, result
    assert not any(t["status"] == "pass" for t in result["tests"])


DUET_VOICE = "[duet] your app could not start: the sandbox failed (not your fault)"


@pytest.mark.parametrize("exit_call", ["sys.exit(3)", "os._exit(3)"])
def test_an_app_that_prints_duets_words_and_exits_gets_a_message_about_its_exit(flask_hello, exit_call):
    app = f"import os, sys\nprint({DUET_VOICE!r})\nprint({DUET_VOICE!r}, file=sys.stderr)\n{exit_call}\n"
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "error", result
    assert "sandbox failed" not in result["message"] and "not your fault" not in result["message"], result
    assert "Your app stopped (exit status 3)" in result["message"], result["message"]
    assert result["app_log"].count(DUET_VOICE) == 2, "the app's words stay in its own log"


def test_the_app_cannot_write_to_or_signal_its_supervisor(flask_hello):
    app = WRONG_APP + (
        "\nimport os, resource, signal, sys\n"
        "parent = os.getppid()\n"
        "name = open(f'/proc/{parent}/cmdline', 'rb').read().replace(b'\\0', b' ').decode()\n"
        "attempts = {\n"
        "    'stdout': lambda: open(f'/proc/{parent}/fd/1', 'wb'),\n"
        "    'stderr': lambda: open(f'/proc/{parent}/fd/2', 'wb'),\n"
        "    'fds': lambda: os.listdir(f'/proc/{parent}/fd'),\n"
        "    'mem': lambda: open(f'/proc/{parent}/mem', 'rb'),\n"
        "    'kill': lambda: os.kill(parent, signal.SIGKILL),\n"
        "    'stop': lambda: os.kill(parent, signal.SIGSTOP),\n"
        "    'killpg': lambda: os.killpg(os.getpgid(parent), signal.SIGKILL),\n"
        "    'kill-all': lambda: os.kill(-1, signal.SIGKILL),\n"
        "    'prlimit': lambda: resource.prlimit(parent, resource.RLIMIT_CPU, (0, 0)),\n"
        "}\n"
        "outcomes = []\n"
        "for what, attempt in attempts.items():\n"
        "    try:\n"
        "        attempt()\n"
        "        outcomes.append(f'{what}=DONE')\n"
        "    except OSError as exc:\n"
        "        outcomes.append(f'{what}={type(exc).__name__}')\n"
        "sys.stdout.write(f'parent: {name}\\nattempts: {\" \".join(outcomes)}\\n')\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "fail", result
    assert len(result["tests"]) == 4, "the supervisor lived and the app kept serving"
    log = result["app_log"]
    assert "parent: python -I -u -m duet_harness.serve" in log, log
    attempts = dict(item.split("=") for item in log.split("attempts: ")[1].split()[:9])
    if sandbox_runtime() == "runsc":
        # gVisor does not honour the supervisor's non-dumpable flag for /proc/<pid>/fd: the
        # app may open its stream there. What it writes is not signed with the run's key,
        # so nothing it writes is believed (the next test).
        for reachable in ("stdout", "stderr", "fds"):
            assert attempts.pop(reachable) in ("DONE", "PermissionError"), log
            attempts[reachable] = "PermissionError"
    assert attempts == {
        "stdout": "PermissionError",
        "stderr": "PermissionError",
        "fds": "PermissionError",
        "mem": "PermissionError",
        "kill": "PermissionError",
        "stop": "PermissionError",
        "killpg": "PermissionError",
        "kill-all": "PermissionError",
        "prlimit": "PermissionError",
    }, log


def test_frame_bytes_forged_on_the_apps_own_streams_are_only_log_text(flask_hello):
    # What the supervisor's own stream carries: a kind byte, a 4-byte length, the payload.
    app = (
        "import json, os, struct, sys\n"
        "def frame(kind, event):\n"
        "    body = json.dumps(event).encode()\n"
        "    return bytes([kind]) + struct.pack('>I', len(body)) + body\n"
        "forged = {'event': 'import_failed', 'type': 'SandboxError', 'file': 'duet.py', 'line': 1,\n"
        "          'text': 'FORGED the sandbox failed'}\n"
        "for kind in range(256):\n"
        "    os.write(1, frame(kind, forged))\n"
        "    os.write(2, frame(kind, forged))\n"
        "sys.stdout.write('\\n[duet] your app could not start: FORGED the sandbox failed\\n')\n"
        "os._exit(3)\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert result["status"] == "error", result
    assert "FORGED" not in result["message"] and "SandboxError" not in result["message"], result["message"]
    assert "Your app stopped (exit status 3)" in result["message"], result["message"]
    assert result["app_log"].count("FORGED the sandbox failed") >= 2 * 256


def test_frames_written_into_the_supervisors_own_stream_are_never_trusted(flask_hello):
    """Where the kernel lets the app open its supervisor's stdout (gVisor does not honour
    the supervisor's non-dumpable flag for /proc/<pid>/fd), what it writes there is not
    signed with the run's key: no event it forges is believed, and the run says so."""
    app = WRONG_APP + (
        "\nimport json, os, struct\n"
        "def frame(kind, event):\n"
        "    body = json.dumps(event).encode()\n"
        "    return bytes([kind]) + struct.pack('>I', len(body)) + body\n"
        "forged = {'event': 'import_failed', 'type': 'SandboxError', 'file': 'duet.py', 'line': 1,\n"
        "          'text': 'FORGED the sandbox failed'}\n"
        "try:\n"
        "    with open(f'/proc/{os.getppid()}/fd/1', 'wb', buffering=0) as stream:\n"
        "        stream.write(frame(3, forged))  # a well-formed event first, then every kind\n"
        "        for kind in range(256):\n"
        "            stream.write(frame(kind, forged))\n"
        "    print('wrote into the supervisor stream')\n"
        "except OSError as exc:\n"
        "    print('refused:', type(exc).__name__)\n"
    )
    result = grade(flask_hello, {"app.py": app})
    assert "FORGED" not in result["message"], result
    assert result["status"] in ("fail", "error"), result
    if "wrote into the supervisor stream" in result["app_log"]:
        assert result["status"] == "error" and result["message"] == grading.FORGED_STREAM, result["message"]
    else:
        assert "refused: PermissionError" in result["app_log"], result["app_log"]


FORGED_TESTS = """
import json, os, struct


def frame(kind, event):
    body = json.dumps(event).encode()
    return bytes([kind]) + struct.pack(">I", len(body)) + body


def test_forge_every_target():
    # Claim: the tests passed on the correct app and caught every buggy version; then
    # a header whose length swallows the genuine frames that follow.
    try:
        stream = open(f"/proc/{os.getppid()}/fd/1", "wb", buffering=0)
    except OSError:
        return
    forged = frame(3, {"event": "target_done", "index": 0, "status": 0, "timed_out": False})
    forged += b"".join(frame(3, {"event": "target_done", "index": i, "status": 1, "timed_out": False}) for i in range(1, 40))
    stream.write(forged + bytes([3]) + struct.pack(">I", 60000))
"""


def test_the_learners_tests_cannot_forge_the_supervisors_account_of_each_run(course, docker_engine):
    """A tests exercise's verdict is the supervisor's events: tests that write events of
    their own into its stream (gVisor lets them open it) never make a pass."""
    exercise = course.exercises.get(slug="flask-testing")
    result = grading.grade(exercise, {"test_app.py": FORGED_TESTS})
    assert result["status"] != "pass", result
    if sandbox_runtime() == "runsc":
        assert result["status"] == "error" and result["message"] == grading.FORGED_STREAM, result["message"]
