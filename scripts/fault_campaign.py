"""Fault campaign: submissions through the web while the worker is killed and Redis is
restarted. Every submission must reach exactly one verdict: none lost, none duplicated.

    .venv/bin/python scripts/fault_campaign.py [--submissions 50] [--timeout 600] [--regrade]

Everything runs on 127.0.0.1 in a world of the campaign's own, removed afterwards: a
temporary data folder (SQLite database, secret key), a Redis on a free port, a queue
name, gunicorn, a Celery worker and Celery beat (which runs the sweeper). The sandbox
containers are real. Prints submitted / verdicts / duplicates / lost, and what it did.
With --regrade, a grader then regrades both exercises through the web under the same
faults, and it prints regraded / verdicts / duplicates / lost for the regrades too.
Exit status 0 when verdicts == submitted and duplicates == lost == 0 (for both).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COURSE = ROOT / "lessons" / "content" / "flask-and-django"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on 127.0.0.1:{port} within {timeout:g} s")


class World:
    """The campaign's own Duet: its processes, data folder, Redis and queue."""

    def __init__(self) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="duet-campaign-"))
        self.redis_port, self.web_port = free_port(), free_port()
        self.env = {
            **os.environ,
            "DUET_VAR_DIR": str(self.var),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DUET_QUEUE": f"campaign-{uuid.uuid4().hex[:8]}",
            # One learner, one address, 50 submissions at once: lift the throttles (per
            # learner, per address, in all; sign-ups too) for this private instance.
            "DUET_SUBMISSION_RATE": "100000",
            "DUET_SUBMISSION_MAX_PENDING": "100000",
            "DUET_SANDBOX_PENDING_PER_ADDRESS": "100000",
            "DUET_SANDBOX_PENDING_TOTAL": "100000",
            "DUET_SIGNUP_RATE": "100000",
            # Quick recovery for the campaign: a dead worker's row is taken over after
            # 45 s (its tasks' time limits sit inside: 35 s hard, 25 s soft), and the
            # sweeper looks every 5 s for messages older than 10 s.
            "DUET_LEASE_SECONDS": "45",
            "DUET_SWEEP_EVERY": "5",
            "DUET_SWEEP_AFTER_SECONDS": "10",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "course.settings",
        }
        self.env.pop("DATABASE_URL", None)
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs = self.var / "log"
        self.logs.mkdir()
        self.events: list[str] = []
        self.t0 = time.monotonic()

    def note(self, text: str) -> None:
        self.events.append(f"{time.monotonic() - self.t0:6.1f} s  {text}")
        print(self.events[-1], flush=True)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self, name: str, argv: list[str]) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process)
        self.procs[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def running(self) -> str:
        """What is marked running right now, for the log of a kill (a row a killed worker
        left behind stays marked until its lease runs out)."""
        (submissions,) = self.query("SELECT COUNT(*) FROM sandbox_submission WHERE status = 'running'")[0]
        (items,) = self.query("SELECT COUNT(*) FROM sandbox_regradeitem WHERE status = 'running'")[0]
        return f"rows marked running: {submissions} submissions, {items} regrade items"

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)

    def kill_worker(self) -> None:
        held = self.running()
        self.kill("worker")
        self.note(f"  ({held})")

    def start_redis(self) -> None:
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.var),
            ],
        )
        wait_for_port(self.redis_port)

    def start_worker(self) -> None:
        queue = self.env["DUET_QUEUE"]
        self.start(
            "worker",
            [
                PYTHON,
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
                f"{queue}@%h",
            ],
        )

    def setup(self, course: Path) -> dict[str, str]:
        self.start_redis()
        self.manage("migrate", "--noinput")
        self.manage("import_course", str(course))
        self.manage("setup_demo")
        self.start_worker()
        self.start(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "course",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.var / "celerybeat-schedule"),
            ],
        )
        self.start(
            "web",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "course.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--threads",
                "4",
            ],
        )
        wait_for_port(self.web_port)
        import json

        return json.loads((self.var / "demo-accounts.json").read_text())

    def rows(self) -> list[tuple[int, str, str]]:
        return self.query(
            "SELECT s.id, s.status, e.slug FROM sandbox_submission s JOIN lessons_exercise e ON e.id = s.exercise_id"
        )

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.var / "duet.sqlite3", timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def recorded_verdicts(self) -> Counter:
        """How many times each submission's verdict was recorded, from the worker's log."""
        text = (self.logs / "worker.log").read_text(errors="replace")
        return Counter(int(m) for m in re.findall(r"submission (\d+): verdict \w+ recorded", text))

    def close(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM if name != "redis" else signal.SIGKILL)
        # Containers of runs cut short by the campaign's kills.
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", "from sandbox.runner import remove_stale_containers as r; r()"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.var, ignore_errors=True)


def chaos(world: World, plan: list[tuple[float, str, Callable[[], object]]]) -> threading.Thread:
    """Carry out ``plan`` (seconds from now, what, action) in a thread of its own."""

    def run() -> None:
        started = time.monotonic()
        for at, what, action in plan:
            time.sleep(max(0, started + at - time.monotonic()))
            world.note(what)
            action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def kill_and_restart(world: World, first: float) -> list[tuple[float, str, Callable[[], object]]]:
    """Kill the worker mid-run and start another; lose Redis's queue and start it again."""
    return [
        (first, "SIGKILL the worker (mid-run)", world.kill_worker),
        (first + 2, "start a new worker", world.start_worker),
        (first + 8, "restart Redis (its queue is lost: no persistence)", lambda: world.kill("redis")),
        (first + 9, "Redis back", world.start_redis),
    ]


def regrade_phase(world: World, base: str, course: str, password: str, slugs: list[str], timeout: float) -> bool:
    """A grader regrades the exercises (their version bumped, as an edit of the tests
    would) while the worker is killed and Redis restarted. Every graded submission must
    get exactly one verdict from its regrade."""
    graded = {
        sid
        for sid, status, slug in world.rows()
        if slug in slugs and status in {"pass", "fail", "error"}  # what a regrade takes
    }
    for slug in slugs:
        world.query("UPDATE lessons_exercise SET version = version + 1 WHERE slug = ?", slug)
    grader = log_in(base, "grader", password)
    plan = chaos(
        world,
        [
            *kill_and_restart(world, first=3),
            (15, "SIGKILL the worker again", world.kill_worker),
            (16, "start a new worker", world.start_worker),
        ],
    )
    for slug in slugs:
        response = grader.post(
            f"{base}/courses/{course}/exercises/{slug}/regrade/",
            headers={"X-CSRFToken": grader.cookies["csrftoken"], "Referer": base},
            timeout=30,
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise SystemExit(f"the regrade of {slug} was refused: {response.status_code} {response.text[:300]}")
    world.note(f"regrades of {', '.join(slugs)} started: {len(graded)} submissions")
    plan.join()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not world.query("SELECT id FROM sandbox_regrade WHERE finished_at IS NULL"):
            break
        time.sleep(1)
    world.note("every regrade finished" if time.monotonic() < deadline else "timed out waiting for the regrades")
    verdicts = Counter(
        sid for (sid,) in world.query("SELECT submission_id FROM sandbox_verdict WHERE regrade_id IS NOT NULL")
    )
    failed = world.query("SELECT submission_id, message FROM sandbox_regradeitem WHERE status = 'failed'")
    duplicates = sum(1 for sid in graded if verdicts[sid] > 1)
    lost = sum(1 for sid in graded if verdicts[sid] == 0)
    if failed:
        print(f"regrade items that failed: {failed[:10]}")
    (retaken,) = world.query("SELECT COUNT(*) FROM sandbox_regradeitem WHERE attempts > 1")[0]
    print(f"regrade items claimed more than once (taken over after a kill or a lost queue): {retaken}")
    print(
        f"regraded {len(graded)} / verdicts {sum(1 for sid in graded if verdicts[sid])} / duplicates {duplicates} / lost {lost}"
    )
    return duplicates == 0 and lost == 0 and not failed


def log_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as {username}: {response.status_code}")
    return session


def folder_files(course: Path, slug: str, which: str) -> dict[str, str]:
    """What a learner would send: the editable files (those the solution holds)."""
    exercise = next(course.glob(f"*/{slug}"))
    editable = [p.relative_to(exercise / "solution") for p in (exercise / "solution").rglob("*") if p.is_file()]
    return {path.as_posix(): (exercise / which / path).read_text() for path in editable}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for every verdict")
    parser.add_argument("--course", type=Path, default=COURSE, help="the course folder to import")
    parser.add_argument(
        "--regrade", action="store_true", help="then regrade both exercises under the same faults, and count again"
    )
    args = parser.parse_args()

    world = World()
    try:
        passwords = world.setup(args.course)
        base = f"http://127.0.0.1:{world.web_port}"
        session = log_in(base, "learner", passwords["learner"])
        kinds = [
            ("flask-hello", "solution", "pass"),
            ("flask-hello", "starter", "fail"),
            ("django-hello", "solution", "pass"),
            ("django-hello", "starter", "fail"),
        ]
        payloads = {(slug, which): folder_files(args.course, slug, which) for slug, which, _ in kinds}
        world.note(f"the campaign's Duet is up on {base}; submitting {args.submissions}")

        chaos_thread = chaos(world, kill_and_restart(world, first=4) + kill_and_restart(world, first=20))

        expected: dict[int, str] = {}
        refused = 0
        for n in range(args.submissions):
            slug, which, verdict = kinds[n % len(kinds)]
            data = {f"file:{p}": t for p, t in payloads[(slug, which)].items()}
            response = session.post(
                f"{base}/courses/{args.course.name}/exercises/{slug}/submit/",
                data=data,
                headers={"Accept": "application/json", "X-CSRFToken": session.cookies["csrftoken"], "Referer": base},
                timeout=30,
            )
            if response.status_code != 201:
                refused += 1
                world.note(f"submission {n + 1} refused: {response.status_code} {response.text[:200]}")
                continue
            expected[response.json()["id"]] = verdict
            time.sleep(0.6)
        world.note(f"{len(expected)} submitted; waiting for verdicts")
        chaos_thread.join()

        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            rows = {i: status for i, status, _ in world.rows() if i in expected}
            if all(status in {"pass", "fail", "error"} for status in rows.values()):
                break
            time.sleep(1)
        world.note("every submission has a verdict" if time.monotonic() < deadline else "timed out waiting")

        rows = {i: status for i, status, _ in world.rows() if i in expected}
        final = {i: s for i, s in rows.items() if s in {"pass", "fail", "error"}}
        recorded = world.recorded_verdicts()
        duplicates = sum(1 for i in expected if recorded.get(i, 0) > 1)
        lost = len(expected) - len(final)
        wrong = {i: (final[i], expected[i]) for i in final if final[i] != expected[i]}
        print()
        print("what happened:")
        for event in world.events:
            print("  " + event)
        print()
        print(f"verdicts by status: {dict(Counter(final.values()))}")
        if wrong:
            print(f"verdicts other than the expected one: {len(wrong)} {sorted(wrong.items())[:10]}")
        print(f"submitted {len(expected) + refused} / verdicts {len(final)} / duplicates {duplicates} / lost {lost}")
        ok = refused == 0 and len(final) == len(expected) and duplicates == 0 and lost == 0
        if args.regrade:
            slugs = sorted({slug for slug, _, _ in kinds})
            before = len(world.events)
            print()
            ok = regrade_phase(world, base, args.course.name, passwords["grader"], slugs, args.timeout) and ok
            print()
            print("what happened during the regrades:")
            for event in world.events[before:]:
                print("  " + event)
        return 0 if ok else 1
    finally:
        world.close()


if __name__ == "__main__":
    sys.exit(main())
