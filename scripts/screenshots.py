"""Screenshots of Duet's main pages, for each role, at desktop and phone widths.

Starts a private Duet (its own temporary data folder: database, secret key, demo
passwords; a web server on a free 127.0.0.1 port), imports the shipped course, makes the
demo accounts, and with headless Chromium logs in as each of them and writes full-page
PNGs named ``<width>-<role>-<page>.png`` (``desktop-learner-exercise.png``,
``phone-grader-gradebook.png``, …) into OUT. Everything it started is stopped and the
data folder deleted at the end, after an error too.

    .venv/bin/python scripts/screenshots.py OUT [--widths 1280,390] [--grade]

--grade also starts a Celery worker on a queue of its own (Redis through
scripts/redis.sh, the sandbox images through Docker) and has the learner submit the
flask-hello starter, so the exercise and its submission page show a real failing
verdict, and the gradebook a learner's work. Without it the submission pages are skipped.

The README's screenshot (docs/screenshot.png: the top 1,500 px of the learner's exercise
page with its failing verdict, 1400 px wide) is made with:

    .venv/bin/python scripts/screenshots.py /tmp/duet-shots --grade --widths 1400
    .venv/bin/python -c "from PIL import Image; Image.open('/tmp/duet-shots/desktop-learner-exercise.png').crop((0, 0, 1400, 1500)).save('docs/screenshot.png', optimize=True)"
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = ROOT / "lessons" / "content" / "flask-and-django"
CHROMIUM = os.environ.get("DUET_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
COURSE, LESSON, EXERCISE = "flask-and-django", "hello-world", "flask-hello"
# Settings a private Duet must not take from the caller's environment: they would point it
# at another database, key or media folder.
INHERITED_NOT = ("DATABASE_URL", "SECRET_KEY", "DUET_MEDIA_ROOT", "DEBUG", "DUET_HTTPS", "DUET_QUEUE")


@dataclass(frozen=True)
class Shot:
    role: str | None  # None: nobody logged in
    name: str
    path: str  # may hold {submission} and {learner}
    wait_for: str | None = None  # a selector that shows the page's script has run
    needs_submission: bool = False


SHOTS = [
    Shot(None, "home", "/"),
    Shot(None, "login", "/accounts/login/"),
    Shot(None, "signup", "/accounts/signup/"),
    Shot(None, "404", "/no-such-page/"),
    Shot("learner", "home", "/"),
    Shot("learner", "course", f"/courses/{COURSE}/"),
    Shot("learner", "lesson", f"/courses/{COURSE}/lessons/{LESSON}/"),
    Shot("learner", "exercise", f"/courses/{COURSE}/exercises/{EXERCISE}/", ".ace_content"),
    Shot("learner", "submission", "/submissions/{submission}/", needs_submission=True),
    Shot("grader", "gradebook", f"/courses/{COURSE}/gradebook/"),
    Shot("grader", "charts", f"/courses/{COURSE}/gradebook/charts/"),
    Shot("grader", "timeline", f"/courses/{COURSE}/gradebook/learners/{{learner}}/"),
    Shot("grader", "submission", "/submissions/{submission}/", needs_submission=True),
    Shot("instructor", "author-home", "/author/"),
    Shot("instructor", "author-course", f"/courses/{COURSE}/author/"),
    Shot("instructor", "author-lesson", f"/courses/{COURSE}/author/lessons/{LESSON}/", ".markdownx"),
    Shot("instructor", "author-exercise", f"/courses/{COURSE}/author/exercises/{EXERCISE}/", ".ace_content"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write PNGs of Duet's main pages for each role, from a private, temporary Duet."
    )
    parser.add_argument("out", type=Path, help="folder for the PNGs (made if missing)")
    parser.add_argument(
        "--widths",
        default="1280,390",
        type=lambda text: [int(w) for w in text.split(",") if w.strip()],
        help="viewport widths in CSS pixels, comma-separated (default 1280,390)",
    )
    parser.add_argument(
        "--grade",
        action="store_true",
        help="start a Celery worker (needs Redis and Docker) and grade a submission of the flask-hello starter",
    )
    return parser.parse_args(argv)


def width_label(width: int, widths: list[int]) -> str:
    label = "phone" if width < 600 else "tablet" if width < 1000 else "desktop"
    same = [w for w in widths if ("phone" if w < 600 else "tablet" if w < 1000 else "desktop") == label]
    return label if len(same) == 1 else f"{label}{width}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Duet:
    """A private Duet: its data folder, environment and the processes it started."""

    def __init__(self, data: Path, queue: str):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items() if key not in INHERITED_NOT}
        self.env.update(
            DJANGO_SETTINGS_MODULE="course.settings",
            DUET_VAR_DIR=str(data),
            DUET_QUEUE=queue,
            DUET_PLAIN_STATIC="true",  # collectstatic --link, no compressing: a quick start
            PYTHONUNBUFFERED="1",
        )
        self.queue = queue
        self.processes: list[tuple[str, subprocess.Popen]] = []
        (data / "log").mkdir()

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def query(self, code: str):
        """The JSON that ``code``, run in the Django shell of this Duet, prints."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def start(self, name: str, command: list[str], ready: str | None = None) -> None:
        log = self.data / "log" / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append((name, process))
        deadline = time.monotonic() + 60
        while not self._ready(ready, log):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the {name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)

    def _ready(self, marker: str | None, log: Path) -> bool:
        if marker is not None:
            return marker.encode() in log.read_bytes()
        try:
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def private_duet(grade: bool) -> Iterator[Duet]:
    data = Path(tempfile.mkdtemp(prefix="duet-private-"))
    duet = Duet(data, queue=f"duet-shots-{uuid.uuid4().hex[:8]}")
    try:
        duet.manage("migrate", "--noinput", "-v", "0")
        duet.manage("collectstatic", "--noinput", "--link", "-v", "0")
        duet.manage("import_course", str(COURSE_DIR))
        duet.manage("setup_demo")
        if grade:
            subprocess.run(["bash", "scripts/redis.sh"], cwd=ROOT, check=True)
            worker = ["worker", "-Q", duet.queue, "-n", f"{duet.queue}@%h", "--concurrency", "1"]
            quiet = ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
            duet.start("worker", [sys.executable, "-m", "celery", "-A", "course", *worker, *quiet], ready=" ready.")
        web = ["course.wsgi", "--bind", f"127.0.0.1:{duet.port}", "--workers", "1", "--threads", "4"]
        duet.start("web", [sys.executable, "-m", "gunicorn", *web, "--graceful-timeout", "5"])
        yield duet
    finally:
        duet.stop()
        shutil.rmtree(data, ignore_errors=True)


def log_in(page, duet: Duet, role: str, passwords: dict[str, str]) -> None:
    page.goto(f"{duet.url}/accounts/login/")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", passwords[role])
    page.click("button[type=submit]")
    page.wait_for_url(f"{duet.url}/")


def submit_the_starter(browser, duet: Duet, passwords: dict[str, str]) -> None:
    """The learner submits flask-hello unchanged, as in the browser, and waits for its verdict."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, duet, "learner", passwords)
        page.goto(f"{duet.url}/courses/{COURSE}/exercises/{EXERCISE}/")
        page.click("#submit-button")
        page.wait_for_selector("#result .status-pass, #result .status-fail, #result .status-error", timeout=180_000)
    finally:
        context.close()


def take(browser, duet: Duet, shots: list[Shot], width: int, label: str, out: Path, values: dict, passwords) -> None:
    phone = width < 600
    roles = dict.fromkeys(shot.role for shot in shots)
    for role in roles:
        context = browser.new_context(
            viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone, has_touch=phone
        )
        page = context.new_page()
        try:
            if role:
                log_in(page, duet, role, passwords)
            for shot in (s for s in shots if s.role == role):
                page.goto(duet.url + shot.path.format(**values))
                page.wait_for_load_state("networkidle")
                if shot.wait_for:
                    page.wait_for_selector(shot.wait_for, timeout=10_000)
                path = out / f"{label}-{role or 'anonymous'}-{shot.name}.png"
                page.screenshot(path=path, full_page=True)
                print(path, flush=True)
        finally:
            context.close()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    # A TERM (from a terminal's close or a CI timeout) stops everything as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    shots = [shot for shot in SHOTS if args.grade or not shot.needs_submission]
    with private_duet(args.grade) as duet, sync_playwright() as playwright:
        passwords = json.loads((duet.data / "demo-accounts.json").read_text())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            if args.grade:
                submit_the_starter(browser, duet, passwords)
            values = duet.query(
                "import json; from django.contrib.auth.models import User; from sandbox.models import Submission; "
                "s = Submission.objects.filter(user__username='learner').order_by('-id').first(); "
                "print(json.dumps({'learner': User.objects.get(username='learner').id, 'submission': s and s.id}))"
            )
            for width in args.widths:
                take(browser, duet, shots, width, width_label(width, args.widths), args.out, values, passwords)
        finally:
            browser.close()
    if not args.grade:
        print("(submission pages skipped: run with --grade to grade one)", file=sys.stderr)


if __name__ == "__main__":
    main()
