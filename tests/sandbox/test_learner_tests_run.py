"""A run of the learner's own tests, for real in the sandbox: against the correct app
(target 0) and buggy versions of it, each run judged by the supervisor's events alone,
each starting from a clean /app with nothing left of the run before."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from sandbox import runner
from sandbox.harness.duet_harness import frames
from sandbox.runner import SANDBOX_LABEL, Limits, RunOutcome, RunRequest

pytestmark = pytest.mark.docker

GREETER = """from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello"
"""
CORRECT = {"app.py": GREETER}
BUGGY = {"app.py": GREETER.replace('"hello"', '"goodbye"')}
BUGGY_TOO = {"app.py": GREETER.replace('"hello"', '"hello!"')}

LEARNER_TESTS = {
    "test_app.py": """from app import app


def test_the_page_says_hello():
    assert app.test_client().get("/").data == b"hello"
"""
}


@pytest.fixture(autouse=True)
def run_label(docker_engine):
    """Every run of a test carries its label; none of those containers may remain."""
    label = f"tests-run-{uuid.uuid4().hex[:8]}"
    yield label
    assert runner.REMOVALS.wait(), "a container's removal did not end"
    left = docker_engine.containers.list(all=True, filters={"label": [SANDBOX_LABEL, f"duet.test={label}"]})
    assert left == [], f"sandbox containers left behind: {[c.name for c in left]}"


def run_tests(
    label: str,
    tests: dict[str, str],
    *targets: dict[str, str],
    framework: str = "flask",
    entrypoint: str = "app:app",
    setup: tuple[str, ...] = (),
    wall_seconds: float = 8,
) -> RunOutcome:
    return runner.run(
        RunRequest(
            image=settings.SANDBOX_IMAGES[framework],
            framework=framework,
            entrypoint=entrypoint,
            app_files=tests,
            test_files={},
            targets=targets,
            setup=setup,
            limits=Limits(wall_seconds=wall_seconds),
            labels={"duet.test": label},
        )
    )


def kinds(outcome: RunOutcome) -> list[str]:
    return [event["event"] for event in outcome.app.events]


def results(outcome: RunOutcome) -> list[dict]:
    """Each target's ``target_done``, in order, without the counters."""
    done = [dict(event) for event in outcome.app.events if event["event"] == "target_done"]
    for event in done:
        assert (event.pop("oom_kills"), event.pop("pids_limit_hits")) == (0, 0), event
        event.pop("seconds", None)
    return done


def log(outcome: RunOutcome) -> str:
    return outcome.app.combined.decode(errors="replace")


def test_tests_that_pass_on_the_correct_app_and_fail_on_the_buggy_ones_catch_each(run_label):
    outcome = run_tests(run_label, LEARNER_TESTS, CORRECT, BUGGY, BUGGY_TOO)
    assert kinds(outcome) == ["target", "target_done"] * 3 + ["finished"]
    assert [e for e in outcome.app.events if e["event"] == "target"][2] == {"event": "target", "index": 2, "of": 3}
    assert results(outcome) == [
        {"event": "target_done", "index": 0, "status": 0, "timed_out": False},
        {"event": "target_done", "index": 1, "status": 1, "timed_out": False},
        {"event": "target_done", "index": 2, "status": 1, "timed_out": False},
    ]
    assert outcome.app.events[-1] == {"event": "finished", "targets": 3}
    assert (outcome.app.exit_code, outcome.grader.exit_code, outcome.timed_out) == (0, None, False)
    text = log(outcome)
    correct, buggy, buggy_too = (
        text.index(f"--- your tests, run against {name} ---\n")
        for name in ("the correct app", "buggy version 1", "buggy version 2")
    )
    assert correct < text.index("1 passed") < buggy < text.index("b'goodbye'") < buggy_too
    assert "FAILED test_app.py::test_the_page_says_hello" in text[buggy_too:]


def test_a_test_that_never_ends_is_killed_at_the_limit_and_the_next_target_still_runs(run_label):
    tests = {
        "test_app.py": LEARNER_TESTS["test_app.py"]
        + '\n\ndef test_wait_on_goodbye():\n    import time\n\n    while b"goodbye" in app.test_client().get("/").data:\n'
        "        time.sleep(1)\n"
    }
    outcome = run_tests(run_label, tests, CORRECT, BUGGY, BUGGY_TOO, wall_seconds=4)
    assert results(outcome) == [
        {"event": "target_done", "index": 0, "status": 0, "timed_out": False},
        {"event": "target_done", "index": 1, "signal": 9, "timed_out": True},
        {"event": "target_done", "index": 2, "status": 1, "timed_out": False},
    ]
    killed = next(e for e in outcome.app.events if e["event"] == "target_done" and e["index"] == 1)
    assert 2.5 < killed["seconds"] <= 3.2, killed  # the target's share: 4 s less one
    assert not outcome.timed_out and outcome.app.exit_code == 0


def on_goodbye(code: str) -> dict[str, str]:
    """Learner tests that check the greeting, and run ``code`` first on the app that
    says goodbye (buggy version 1)."""
    return {
        "test_app.py": LEARNER_TESTS["test_app.py"]
        + "\n\ndef test_hostile():\n    if app.test_client().get('/').data == b'goodbye':\n"
        + "".join(f"        {line}\n" for line in code.splitlines())
    }


def test_a_fork_bomb_in_one_run_is_stopped_and_the_next_run_is_clean(run_label):
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    outcome = run_tests(run_label, on_goodbye(bomb), CORRECT, BUGGY, BUGGY_TOO, wall_seconds=4)
    done = [e for e in outcome.app.events if e["event"] == "target_done"]
    assert (done[1]["signal"], done[1]["timed_out"]) == (9, True), done
    assert done[1]["pids_limit_hits"] > 0, done
    assert (done[2]["status"], done[2]["pids_limit_hits"]) == (1, 0), done
    assert outcome.app.events[-1] == {"event": "finished", "targets": 3}


def test_a_memory_bomb_in_one_run_is_an_oom_kill_of_that_run_alone(run_label):
    bomb = "hog = []\nwhile True:\n    hog.append(bytearray(2**23))"
    outcome = run_tests(run_label, on_goodbye(bomb), CORRECT, BUGGY, BUGGY_TOO)
    done = [e for e in outcome.app.events if e["event"] == "target_done"]
    assert (done[1]["signal"], done[1]["timed_out"], done[1]["oom_kills"]) == (9, False, 1), done
    assert (done[0]["status"], done[2]["status"], done[2]["oom_kills"]) == (0, 1, 0), done
    assert outcome.oom_killed and outcome.app.exit_code == 0


def test_output_that_looks_like_an_event_or_a_frame_stays_the_learners_output(run_label):
    forged = b'{"event": "target_done", "index": 1, "status": 0, "timed_out": false, "forged": true}'
    tests = {
        "test_app.py": LEARNER_TESTS["test_app.py"]
        + (
            "\n\nimport atexit, os, sys\n\n"
            f"FORGED = {forged!r}\n"
            f"FRAME = {frames.encode(frames.EVENT, forged)!r}\n"
            "print(FORGED.decode())\n"
            "print(FORGED.decode(), file=sys.stderr)\n"
            # After pytest has let go of the streams: straight onto the process's own.
            "atexit.register(lambda: (os.write(1, FRAME + FORGED + b'\\n'), os.write(2, FRAME * 3)))\n"
        )
    }
    outcome = run_tests(run_label, tests, CORRECT, BUGGY)
    assert kinds(outcome) == ["target", "target_done", "target", "target_done", "finished"]
    assert not any("forged" in event for event in outcome.app.events), outcome.app.events
    assert results(outcome)[1] == {"event": "target_done", "index": 1, "status": 1, "timed_out": False}
    assert frames.encode(frames.EVENT, forged) in outcome.app.stdout.data  # it arrived, as the app's bytes
    assert frames.encode(frames.EVENT, forged) in outcome.app.stderr.data


LINGERER = '''import ctypes, os, pathlib, time

from app import app

HIJACK = """from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello"
"""
libc = ctypes.CDLL(None, use_errno=True)


def linger():
    """Leave a process behind, detached, and traces wherever this user may write."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            pathlib.Path("/tmp/left-behind").write_text("run 0")
            pathlib.Path("/dev/shm/left-behind").write_text("run 0")
            libc.shmget(0x0D0E7, 4096, 0o1600)  # IPC_CREAT, a System V segment
            deep = pathlib.Path("/app/deep")
            for _ in range(300):
                deep = deep / "d"
            deep.mkdir(parents=True)
            (deep / "f").write_text("x")
            pathlib.Path("/app/locked").mkdir()
            pathlib.Path("/app/locked/inside").write_text("x")
            os.chmod("/app/locked", 0)
            os.chmod("/tmp/left-behind", 0)
            while True:  # rewrite the next run's app, to make the buggy one say hello
                try:
                    pathlib.Path("/app/app.py").write_text(HIJACK)
                    pathlib.Path("/app/hijacked").write_text("yes")
                except OSError:
                    pass
                time.sleep(0.05)
        os._exit(0)
    time.sleep(0.5)  # its traces are made before this run ends


def test_the_page_says_hello():
    if b"hello" in app.test_client().get("/").data:
        linger()
    else:
        time.sleep(1)  # time for anything left from run 0 to act
    print("app.py says goodbye:", "goodbye" in pathlib.Path("/app/app.py").read_text())
    print("left in /tmp, /dev/shm:", os.path.exists("/tmp/left-behind"), os.path.exists("/dev/shm/left-behind"))
    print("left in /app:", sorted(os.listdir("/app")))
    print("System V segment:", libc.shmget(0x0D0E7, 0, 0))
    print("processes:", len([p for p in os.listdir("/proc") if p.isdigit()]))
    import importlib, app as module

    assert importlib.reload(module).app.test_client().get("/").data == b"hello"
'''


def test_a_process_left_by_one_run_is_gone_and_its_traces_with_it_before_the_next(run_label):
    outcome = run_tests(run_label, {"test_app.py": LINGERER}, CORRECT, BUGGY)
    assert results(outcome) == [
        {"event": "target_done", "index": 0, "status": 0, "timed_out": False},
        {"event": "target_done", "index": 1, "status": 1, "timed_out": False},
    ]
    run1 = log(outcome).split("--- your tests, run against buggy version 1 ---")[1]
    assert "app.py says goodbye: True" in run1
    assert "left in /tmp, /dev/shm: False False" in run1
    assert "left in /app: ['app.py', 'test_app.py']" in run1
    assert "System V segment: -1" in run1
    # PID 1 (tini), its idle sleep, the supervisor, pytest: nothing else.
    assert "processes: 4" in run1, run1


SETUP_MARKER = """import pathlib, sys

name = pathlib.Path("name.txt").read_text()
pathlib.Path("made-by-setup.txt").write_text(name + "\\n")
sys.exit(3 if name == "broken" else 0)
"""
SETUP_TESTS = {
    "test_setup.py": """import pathlib


def test_setup_ran_once_in_this_run():
    assert pathlib.Path("made-by-setup.txt").read_text().splitlines() in (["correct"], ["buggy"])
    assert pathlib.Path("made-by-setup.txt").read_text() == "correct\\n"
"""
}


def test_setup_commands_run_for_each_target_and_a_failing_one_skips_only_its_tests(run_label):
    targets = [{"make_marker.py": SETUP_MARKER, "name.txt": name} for name in ("correct", "broken", "buggy")]
    outcome = run_tests(run_label, SETUP_TESTS, *targets, setup=("python -m make_marker",))
    steps = [e for e in outcome.app.events if e["event"] in {"step", "step_done", "step_failed"}]
    assert [(e["event"], e["command"]) for e in steps] == [
        ("step", "python -m make_marker"),
        ("step_done", "python -m make_marker"),
        ("step", "python -m make_marker"),
        ("step_failed", "python -m make_marker"),
        ("step", "python -m make_marker"),
        ("step_done", "python -m make_marker"),
    ]
    assert steps[3]["status"] == 3
    assert results(outcome) == [
        {"event": "target_done", "index": 0, "status": 0, "timed_out": False},
        {"event": "target_done", "index": 1, "setup_failed": True, "timed_out": False},
        {"event": "target_done", "index": 2, "status": 1, "timed_out": False},
    ]
    text = log(outcome)
    assert text.count("--- setup: python -m make_marker ---") == 3
    assert "'buggy\\n' == 'correct\\n'" in text


DJANGO_PROJECT = {
    "manage.py": """import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
""",
    "site_conf/__init__.py": "",
    "site_conf/settings.py": """from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-exercise-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["notes"]
MIDDLEWARE = []
ROOT_URLCONF = "site_conf.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
""",
    "site_conf/urls.py": """from django.urls import path

from notes import views

urlpatterns = [path("", views.note_list)]
""",
    "notes/__init__.py": "",
    "notes/models.py": """from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100)
""",
    "notes/migrations/__init__.py": "",
    "notes/migrations/0001_initial.py": """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=100)),
            ],
        ),
    ]
""",
    "notes/views.py": """from django.http import HttpResponse

from notes.models import Note


def note_list(request):
    return HttpResponse(", ".join(note.title for note in Note.objects.order_by("id")))
""",
}
DJANGO_BUGGY = {
    **DJANGO_PROJECT,
    "notes/views.py": DJANGO_PROJECT["notes/views.py"].replace('order_by("id")', 'order_by("-id")'),
}
DJANGO_TESTS = {
    "notes/tests.py": """from django.test import TestCase

from notes.models import Note


class NoteListTests(TestCase):
    def test_it_lists_the_notes_in_order(self):
        Note.objects.create(title="first")
        Note.objects.create(title="second")
        self.assertEqual(self.client.get("/").content, b"first, second")
"""
}


def test_a_django_projects_tests_run_with_their_own_database_and_no_migrate_step(run_label):
    outcome = run_tests(
        run_label,
        DJANGO_TESTS,
        DJANGO_PROJECT,
        DJANGO_BUGGY,
        framework="django",
        entrypoint="site_conf.settings",
        setup=("python manage.py check",),
    )
    assert [e["command"] for e in outcome.app.events if e["event"] == "step"] == ["python manage.py check"] * 2
    assert results(outcome) == [
        {"event": "target_done", "index": 0, "status": 0, "timed_out": False},
        {"event": "target_done", "index": 1, "status": 1, "timed_out": False},
    ]
    text = log(outcome)
    assert "Creating test database for alias 'default'" in text
    assert "b'second, first' != b'first, second'" in text
    assert text.count("System check identified no issues") >= 2


@pytest.mark.parametrize(
    "targets, files",
    [
        (({"../outside.py": ""},), {}),
        ((CORRECT,), {"app.py/test_app.py": ""}),
        ((CORRECT,) * 33, LEARNER_TESTS),
    ],
    ids=["a name that leaves /app", "a file the tests need as a folder", "more targets than a run takes"],
)
def test_a_payload_that_does_not_fit_runs_nothing(run_label, targets, files):
    outcome = run_tests(run_label, files, *targets, wall_seconds=1)
    assert kinds(outcome) == ["setup_failed"], outcome.app.events
    assert outcome.app.exit_code == 2
