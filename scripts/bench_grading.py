"""Submit → verdict, and the learner's pages, measured on what `make start` runs.

One run starts a private instance (its own data folder, database and Celery queue, the
throttles lifted; gunicorn with the ASGI site in 2 workers and a Celery worker of concurrency
2 with its warm pool, as scripts/start.sh does, on Redis from scripts/redis.sh) and measures:

- bare/<exercise>: the hidden tests against the app run bare on this machine (the floor);
- engine: Docker's own cost for one idle sandbox container (create, start, remove);
- sandbox/<exercise>: grading.grade, without the queue;
- queue/<exercise>: submit → verdict through the web's service, Redis and the worker;
- browser/<exercise>: click on Submit → verdict painted, in headless Chromium, by the
  page's own clock;
  each queue/ and browser/ sample starts on an idle site (no sandbox running, the
  worker's warm pool full): one learner's wait, where the burst is everyone's;
- burst: learners submitting flask-hello at once over HTTP, first POST → last verdict,
  beside its floor: learners × (bare flask-hello + engine) ÷ cores; and beside its CPU
  floor: learners × (the CPU seconds a bare run and an idle container keep the machine
  busy, measured over the same runs) ÷ cores, which is higher, as a bare run keeps more
  than one core busy;
- static, signed-in, page/course, page/lesson, page/exercise, render/exercise: requests
  per second with wrk at 16 connections: a static file from the same gunicorn, the home
  page signed in (the session, the user, the course list: the emptiest page a learner
  sees, rendered on every request), the signed-in learner's pages (beside the static
  file, and as a share of signed-in) as a learner who reloads gets them (the page
  cache's answer), and the exercise page rendered on every request (a new query string
  each time: what a miss of the page cache costs).

Each figure is the median of --runs samples, with min and max, beside its floor and
ratio. Prints the figures; asserts nothing. Run it on a quiet machine.

    .venv/bin/python scripts/bench_grading.py [--runs 10] [--json]
    .venv/bin/python scripts/bench_grading.py --smoke   # about a minute: does it all run?
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="duet-bench-"))
os.environ.update(
    DUET_VAR_DIR=str(VAR),
    DJANGO_SETTINGS_MODULE="course.settings",
    DUET_QUEUE=f"duet-bench-{os.getpid()}",
    # Named, so a DATABASE_URL in the environment can never point the benchmark at a real
    # database: the web, the worker and this process share this file, and only they.
    DATABASE_URL=f"sqlite:///{VAR / 'duet.sqlite3'}",
)
# Learners submit run after run, 50 at once from one address: lift the throttles (per
# learner, per address, in all; sign-ups too) for this private instance, or the 11th run
# in a minute would be refused.
os.environ.update(
    DUET_SUBMISSION_RATE="100000",
    DUET_SUBMISSION_MAX_PENDING="100000",
    DUET_SANDBOX_PENDING_PER_ADDRESS="100000",
    DUET_SANDBOX_PENDING_TOTAL="100000",
    DUET_SIGNUP_RATE="100000",
)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.urls import reverse  # noqa: E402

from course.models import Enrollment  # noqa: E402
from lessons.course_import import course_import  # noqa: E402
from lessons.models import Course, Exercise  # noqa: E402
from sandbox import grading  # noqa: E402
from sandbox.models import Draft, Submission, Verdict  # noqa: E402
from sandbox.runner import IDLE_USER, SANDBOX_LABEL, Limits, _host_config_kwargs, docker_client  # noqa: E402
from sandbox.services import submission_create  # noqa: E402

COURSE = ROOT / "lessons" / "content" / "flask-and-django"
IMAGES = ROOT / "sandbox" / "images"
HARNESS = ROOT / "sandbox" / "harness"
EXERCISES = ("flask-hello", "django-hello")
CHROMIUM = os.environ.get("DUET_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PASSWORD = secrets.token_urlsafe(16)  # the learners' own, in a throwaway database
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"')
CONNECTIONS = 16
WORKER_PROCESSES = 2  # the private worker's concurrency, as scripts/start.sh runs it
# After the worker's pool is full, the last sandbox's two interpreters are still importing
# their framework and pytest: this long more and the machine is idle.
SETTLE_SECONDS = 1.0


@dataclass
class Figure:
    """One figure: its samples (seconds, or requests per second for ``unit="req/s"``),
    what it is held against (``floor``: the bare run, the burst floor, the static file's
    rate) and whatever else it reports (p99, lost submissions)."""

    samples: list[float]
    unit: str = "s"
    floor: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None

    def as_json(self) -> dict:
        return {
            "median": self.median,
            "min": min(self.samples),
            "max": max(self.samples),
            "n": len(self.samples),
            "floor": self.floor,
            "ratio": self.ratio,
            "unit": self.unit,
            **self.extra,
        }


def note(message: str) -> None:
    """Progress, on stderr: stdout holds only the table (and the JSON line)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def sampled(fn: Callable[[], float], runs: int, *, warm: bool = True) -> list[float]:
    """``runs`` samples of ``fn``, after one thrown away (a first run pays for imports,
    caches and connections that every later one finds ready)."""
    if warm:
        fn()
    return [fn() for _ in range(runs)]


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (every core, every process: the
    sandbox's, Docker's and the kernel's alike), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_sampled(fn: Callable[[], float], runs: int) -> tuple[list[float], float]:
    """``sampled``, and the machine's busy CPU seconds per run over those runs: what a
    run costs when the cores are all taken, as in a burst."""
    fn()  # sampled's warm-up, outside the count
    before = busy_seconds()
    samples = sampled(fn, runs, warm=False)
    return samples, (busy_seconds() - before) / runs


def solution(exercise: Exercise) -> dict[str, str]:
    return exercise.laid_over_starter(exercise.files_of("solution"))


# --- The floor: the hidden tests, bare on the host ----------------------------------------


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


# --- Docker, the sandbox, the queue ------------------------------------------------------


def run_engine(client, image: str) -> float:
    """Docker's own cost for one sandbox container: create, start and remove an idle one
    (the runner's idle command), with the runner's host config at the default limits and
    nothing run in it. Labelled as the runner's are, so the sweeper finds a leftover."""
    started = time.perf_counter()
    container = client.containers.create(
        image,
        command=["sleep", "60"],
        user=IDLE_USER,
        hostname="sandbox",
        labels={SANDBOX_LABEL: "1", "duet.created": str(int(time.time()))},
        environment={},
        **_host_config_kwargs(Limits()),
    )
    try:
        container.start()
    finally:
        container.remove(force=True, v=True)
    return time.perf_counter() - started


def run_sandbox(exercise: Exercise) -> float:
    started = time.perf_counter()
    result = grading.grade(exercise, solution(exercise))
    assert result["status"] == "pass", result
    return time.perf_counter() - started


@functools.cache
def docker_shared():
    """One client for every sample."""
    return docker_client()


def pool_size() -> int:
    return int(os.environ.get("DUET_SANDBOX_POOL", "1"))


@contextlib.contextmanager
def runtime(name: str) -> Iterator[None]:
    """Sandboxes made in this process run under ``name`` meanwhile (DUET_SANDBOX_RUNTIME)."""
    before = os.environ.get("DUET_SANDBOX_RUNTIME")
    os.environ["DUET_SANDBOX_RUNTIME"] = name
    try:
        yield
    finally:
        if before is None:
            del os.environ["DUET_SANDBOX_RUNTIME"]
        else:
            os.environ["DUET_SANDBOX_RUNTIME"] = before


def measure_runsc(client, image: str, exercises: list[Exercise], figures: dict, runs: int) -> dict[str, Figure]:
    """gVisor's cost beside runc's: the idle container and the sandbox run again with
    every container under runsc, each beside its runc figure as the floor. Left out,
    with a line saying why, when the engine does not know runsc (make gvisor)."""
    if "runsc" not in client.info().get("Runtimes", {}):
        note("runsc is not registered with the engine (make gvisor): no gVisor figures")
        return {}
    found: dict[str, Figure] = {}
    with runtime("runsc"):
        note("engine under runsc")
        found["engine/runsc"] = Figure(sampled(lambda: run_engine(client, image), runs), floor=figures["engine"].median)
        for exercise in exercises:
            note(f"sandbox/{exercise.slug} under runsc")
            floor = figures[f"sandbox/{exercise.slug}"].median
            found[f"sandbox/runsc/{exercise.slug}"] = Figure(
                sampled(lambda e=exercise: run_sandbox(e), runs), floor=floor
            )
    return found


def site_idle(client, timeout: float = 15.0) -> None:
    """Wait until the site is as a learner who submits finds it when nobody else is:
    no sandbox running or being removed, and the worker's warm pool full (each of its
    processes keeps ``pool_size()`` per framework), then SETTLE_SECONDS more. queue/ and
    browser/ samples start so: they are one learner's wait on an idle site, while the
    burst measures a busy one. With the pool off, only the first condition holds."""
    wanted = WORKER_PROCESSES * len(settings.SANDBOX_IMAGES) * pool_size()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The engine's list of running ones alone (an inspect of each fails for one just
        # removed); one being killed still counts.
        running = client.api.containers(filters={"label": SANDBOX_LABEL})
        # A warm sandbox that a run took is renamed after the attempt (duet-sub-…).
        warm = [c for c in running if any(name.startswith("/duet-warm-") for name in c["Names"])]
        if len(warm) >= wanted and len(running) == len(warm):
            break
        time.sleep(0.1)
    else:
        note(f"the site was not idle after {timeout:.0f} s; measuring anyway")
    time.sleep(SETTLE_SECONDS)


def run_queue(exercise: Exercise, user) -> float:
    site_idle(docker_shared())
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


# --- The private instance: what `make start` runs ----------------------------------------


def _die_with_us() -> None:
    """In a child, before it runs: SIGTERM when the benchmark dies, even by SIGKILL
    (Linux's PR_SET_PDEATHSIG), so no private web or worker outlives it."""
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``command`` in a process group of its own (so it is stopped with its children),
    on the private data folder and queue (``env`` added), its output in ``log``."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_us,
        )


def services_start(port: int, started: list[subprocess.Popen]) -> str:
    """The Celery worker (concurrency 2, on our own queue, its warm pool as
    DUET_SANDBOX_POOL says: make start's 1 unless set) and gunicorn (the ASGI site, 2
    workers, on ``port``) as scripts/start.sh starts them, each added to ``started`` at
    once so that the caller stops it whatever happens next; returns the site's address
    once both answer. Beat is left out: its sweeps are not on the path of a verdict, and
    its orphan removal would touch other sandboxes on this machine."""
    logs = VAR / "log"
    logs.mkdir(exist_ok=True)
    queue = os.environ["DUET_QUEUE"]
    worker_log = logs / "worker.log"
    # The broker's redelivery and lease settings, acks and prefetch come from
    # course.settings, as for `make start`; only the queue (and so the node name) is ours.
    worker = [sys.executable, "-m", "celery", "-A", "course", "worker", "-Q", queue, "-n", f"{queue}@%h"]
    worker += ["--concurrency", str(WORKER_PROCESSES), "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
    worker_env = {"DUET_SANDBOX_POOL": str(pool_size())}
    started.append(_spawn(worker, worker_log, worker_env))
    web = [sys.executable, "-m", "gunicorn", "course.asgi", "--bind", f"127.0.0.1:{port}"]
    web += ["--worker-class", "uvicorn_worker.UvicornWorker", "--forwarded-allow-ips", ""]
    web += ["--workers", "2", "--graceful-timeout", "5"]
    web += ["--access-logfile", str(logs / "access.log"), "--error-logfile", str(logs / "web.log")]
    started.append(_spawn(web, logs / "gunicorn.out"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while b" ready." not in worker_log.read_bytes() or not _answers(f"{base}/accounts/login/"):
        if any(proc.poll() is not None for proc in started) or time.monotonic() > deadline:
            raise RuntimeError(f"the private worker or web did not start; see {logs}")
        time.sleep(0.2)
    return base


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def services_stop(started: list[subprocess.Popen]) -> None:
    """SIGTERM to each process group (gunicorn's workers, the worker's pool), then
    SIGKILL to one that has not ended in 30 s."""
    for proc in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in started:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def learners_create(course: Course, usernames: list[str]) -> list:
    """Learners enrolled in ``course``, all with PASSWORD (hashed once: 50 hashes would
    cost the benchmark a minute of CPU before it measures anything)."""
    User = get_user_model()
    hashed = make_password(PASSWORD)
    User.objects.bulk_create([User(username=name, password=hashed) for name in usernames])
    users = list(User.objects.filter(username__in=usernames).order_by("username"))
    Enrollment.objects.bulk_create([Enrollment(user=u, course=course, role=Enrollment.Role.LEARNER) for u in users])
    return users


def http_log_in(base: str, username: str) -> requests.Session:
    """A learner's own session, logged in through the login form as a browser would: the
    form's page (and its CSRF cookie) first, then the form posted."""
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=60)
    token = CSRF_INPUT.search(form.text)[1]
    data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    reply = session.post(f"{base}/accounts/login/", data=data, timeout=120, allow_redirects=False)
    assert reply.status_code == 302 and "sessionid" in session.cookies, (username, reply.status_code)
    return session


# --- The browser ---------------------------------------------------------------------------

# A verdict rendered by the server (the page's own "Queued" placeholder has no id).
VERDICT_SHOWN = "#result .result[data-submission]:is(.status-pass, .status-fail, .status-error)"


@contextlib.contextmanager
def orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread, and Django then refuses
    the ORM; the ORM calls made between clicks are still plain synchronous code."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE")


def browser_log_in(page, base: str, username: str) -> None:
    """Log in through the real login form, as a person would."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def run_browser(page, base: str, exercise: Exercise, learner) -> float:
    """The exercise page opened on the solution (the learner's draft), then the clock from
    the click on Submit to the verdict visible on the page."""
    Draft.objects.update_or_create(
        user=learner, exercise=exercise, defaults={"files": exercise.editable_files(solution(exercise))}
    )
    page.goto(f"{base}{exercise.get_absolute_url()}")
    page.wait_for_selector(".ace-holder .ace_content")  # the code editor took over
    # The page opens on the latest attempt's verdict: wait for another one.
    shown = page.locator("#result .result[data-submission]")
    before = shown.get_attribute("data-submission") if shown.count() else None
    verdict = VERDICT_SHOWN + (f':not([data-submission="{before}"])' if before else "")
    page.evaluate(PAGE_CLOCK, verdict)
    site_idle(docker_shared())
    page.click("#submit-button")
    result = page.wait_for_selector(verdict, timeout=60_000)
    assert result.get_attribute("data-status") == "pass", result.inner_text()
    clock = page.wait_for_function("window.duetClock.painted && window.duetClock").json_value()
    return (clock["painted"] - clock["clicked"]) / 1000


# The page's own clock, read in milliseconds: from the click's event (its timeStamp) to the
# first frame painted with the verdict in it. Playwright's own waits re-check the page at
# growing intervals (up to 500 ms apart), which a clock started and stopped around them
# would count as the site's time.
PAGE_CLOCK = """verdict => {
  const clock = window.duetClock = { clicked: null, painted: null };
  document.getElementById("submit-button").addEventListener("click", event => {
    clock.clicked = event.timeStamp;
  }, { capture: true, once: true });
  const seen = new MutationObserver(() => {
    if (clock.clicked === null || !document.querySelector(verdict)) return;
    seen.disconnect();
    requestAnimationFrame(() => { clock.painted = performance.now(); });
  });
  seen.observe(document.getElementById("result"), { childList: true, subtree: true });
}"""


def measure_browser(base: str, exercises: list[Exercise], learner, runs: int) -> dict[str, list[float]]:
    """browser/<exercise>: one headless Chromium, the learner logged in once."""
    from playwright.sync_api import sync_playwright

    samples = {}
    with orm_beside_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            browser_log_in(page, base, learner.username)
            for exercise in exercises:
                note(f"browser/{exercise.slug}")
                samples[exercise.slug] = sampled(lambda e=exercise: run_browser(page, base, e, learner), runs)
        finally:
            browser.close()
    return samples


# --- The burst ---------------------------------------------------------------------------


@dataclass
class Burst:
    seconds: float  # first POST → last verdict recorded
    lost: int  # no verdict by the timeout (refused at submit, or never graded)
    not_passed: int  # a verdict, but fail or error: the solution should pass
    refused: list[int | None]  # HTTP statuses other than 201 (None: no answer)


def run_burst(base: str, exercise: Exercise, sessions: list[requests.Session], timeout: float) -> Burst:
    """Every session's learner submits the solution at once, as the page's script does
    (the form with its CSRF token, asking for JSON), each from a thread of its own; the
    figure runs from the first POST to the last verdict recorded in the database."""
    page_url = f"{base}{exercise.get_absolute_url()}"
    submit_url = f"{base}{reverse('sandbox:submit', args=[exercise.course.slug, exercise.slug])}"
    files = {f"file:{path}": text for path, text in exercise.editable_files(solution(exercise)).items()}
    with ThreadPoolExecutor(max_workers=8) as pool:  # untimed: each page's CSRF token
        tokens = list(pool.map(lambda s: CSRF_INPUT.search(s.get(page_url, timeout=120).text)[1], sessions))
    before = Submission.objects.aggregate(last=Max("id"))["last"] or 0
    mine = Submission.objects.filter(id__gt=before, exercise=exercise)
    # One thread each, held at a gate until all are ready (not a pool, which may run fewer
    # at once than it was given and would then never open the gate).
    gate = threading.Barrier(len(sessions))
    answers: list[tuple[float, int | None]] = [(time.time(), None)] * len(sessions)

    def submit(i: int, session: requests.Session, token: str) -> None:
        gate.wait()
        sent = time.time()
        try:
            reply = session.post(
                submit_url,
                data={"csrfmiddlewaretoken": token, **files},
                headers={"Accept": "application/json"},
                timeout=timeout,
            )
            answers[i] = sent, reply.status_code
        except requests.RequestException:
            answers[i] = sent, None

    threads = [
        threading.Thread(target=submit, args=(i, session, token), daemon=True)
        for i, (session, token) in enumerate(zip(sessions, tokens, strict=True))
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(t.is_alive() for t in threads) and not mine.exclude(status__in=Submission.FINAL).exists():
            break
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    first_post = min(sent for sent, _ in answers)
    last = Verdict.objects.filter(submission__in=mine, regrade=None).aggregate(last=Max("created_at"))["last"]
    graded = mine.filter(status__in=Submission.FINAL)
    return Burst(
        seconds=(last.timestamp() if last else time.time()) - first_post,
        lost=len(sessions) - graded.count(),
        not_passed=graded.exclude(status=Submission.Status.PASS).count(),
        refused=[status for _, status in answers if status != 201],
    )


def measure_burst(base: str, exercise: Exercise, learners: int, runs: int) -> tuple[list[float], int, int]:
    """burst: ``learners`` learners, each logged in with its own session once, submit at
    once, ``runs`` times; returns the samples and the lost and not-passed counts of all."""
    users = learners_create(exercise.course, [f"burst-{i:03}" for i in range(learners)])
    with ThreadPoolExecutor(max_workers=8) as pool:  # as many as gunicorn's threads
        sessions = list(pool.map(lambda u: http_log_in(base, u.username), users))
    timeout = 60 + 6 * learners  # generous: ten times the 25 s for 50
    samples, lost, not_passed = [], 0, 0
    for _ in range(runs):
        burst = run_burst(base, exercise, sessions, timeout)
        if burst.refused:
            note(f"burst: {len(burst.refused)} submissions refused ({burst.refused})")
        samples.append(burst.seconds)
        lost += burst.lost
        not_passed += burst.not_passed
    return samples, lost, not_passed


# --- Pages, with wrk -----------------------------------------------------------------------

WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
WRK_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
WRK_NOT_OK = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk_command() -> str:
    """wrk (Debian's package), installed with apt-get if it is missing."""
    if found := shutil.which("wrk"):
        return found
    note("wrk is missing: apt-get install -y wrk")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
    return shutil.which("wrk") or "wrk"


# Each request with a query no other request had: the page is rendered every time, as on
# a miss of the page cache (the views ignore the query).
UNCACHED_LUA = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?uncached=" .. id .. "-" .. n)
end
"""


def run_wrk(wrk: str, url: str, cookie: str, seconds: int, *, uncached: bool = False) -> tuple[float, float]:
    """Requests per second and the 99th percentile latency (s) of one wrk run at 16
    connections (``uncached``: each request a new query string); an answer other than
    2xx or 3xx is an error, not a figure."""
    script = []
    if uncached:
        lua = VAR / "uncached.lua"
        lua.write_text(UNCACHED_LUA)
        script = ["-s", str(lua)]
    command = [wrk, "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", *script]
    out = subprocess.run(
        [*command, "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if bad := WRK_NOT_OK.search(out):
        raise RuntimeError(f"wrk {url}: {bad[1]} answers not 2xx or 3xx\n{out}")
    p99 = WRK_P99.search(out)
    return float(WRK_RATE.search(out)[1]), float(p99[1]) * WRK_UNITS[p99[2]]


def measure_pages(base: str, exercise: Exercise, reader, runs: int, seconds: int) -> dict[str, tuple[list, list]]:
    """static and page/<kind>: the site's stylesheet, as the pages link it, and the
    course, lesson and exercise pages of ``reader`` (signed in through the form), in
    rounds so that a slow spell of the machine falls on all of them alike. Returns, by
    name, the requests per second and the p99s of the runs."""
    session = http_log_in(base, reader.username)
    pages = {
        # The emptiest page a signed-in learner sees (the session, the user, the list of
        # courses, the site's frame), rendered by Django on every request (it is not a
        # kept page): what the learner's pages would do without the page cache, at best.
        "signed-in": reverse("home"),
        "page/course": exercise.course.get_absolute_url(),
        "page/lesson": exercise.lesson.get_absolute_url(),
        "page/exercise": exercise.get_absolute_url(),
    }
    for path in pages.values():
        # A redirect (to the login page) would be measured as fast as anything: refuse it.
        reply = session.get(f"{base}{path}", allow_redirects=False, timeout=30)
        assert reply.status_code == 200, (path, reply.status_code)
    stylesheet = STYLESHEET.search(reply.text)[1]
    assert session.get(f"{base}{stylesheet}", timeout=30).status_code == 200, stylesheet
    targets = {"static": stylesheet, **pages, "render/exercise": pages["page/exercise"]}
    cookie = "; ".join(f"{name}={session.cookies[name]}" for name in ("sessionid", "csrftoken"))
    wrk = wrk_command()
    found: dict[str, tuple[list, list]] = {name: ([], []) for name in targets}
    for _ in range(runs):
        for name, path in targets.items():
            rate, p99 = run_wrk(wrk, f"{base}{path}", cookie, seconds, uncached=name.startswith("render/"))
            found[name][0].append(rate)
            found[name][1].append(p99)
    return found


# --- The table -----------------------------------------------------------------------------


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:,.0f} req/s" if unit == "req/s" else f"{value:.3f} s"


def _ratio(figure: Figure) -> str:
    if figure.ratio is None:
        return ""
    return f"{figure.ratio:.1%}" if figure.unit == "req/s" else f"{figure.ratio:.2f}×"


def table(figures: dict[str, Figure]) -> str:
    """The figures, one a line: median, min, max, n, floor and ratio, and what else each
    reports (p99, and its ratio to the static file's; lost submissions)."""
    width = max([22, *(len(name) + 1 for name in figures)])  # sandbox/runsc/django-hello is the longest
    lines = [f"{'figure':{width}}{'median':>14}{'min':>14}{'max':>14}{'n':>4}{'floor':>14}{'ratio':>9}  notes"]
    static = figures.get("static")
    for name, f in figures.items():
        notes = []
        if "p99" in f.extra:
            notes.append(f"p99 {f.extra['p99'] * 1000:.1f} ms")
            if static is not None and f is not static:
                notes[-1] += f" ({f.extra['p99'] / static.extra['p99']:.1f}× static's)"
        if name.startswith(("page/", "render/")) and (signed := figures.get("signed-in")) is not None:
            notes.append(f"{f.median / signed.median:.0%} of signed-in")
        if "cpu" in f.extra:
            notes.append(f"keeps the machine busy {f.extra['cpu']:.3f} CPU-s a run")
        if "cpu_floor" in f.extra:
            notes.append(f"CPU floor {f.extra['cpu_floor']:.1f} s ({f.median / f.extra['cpu_floor']:.2f}×)")
        if "lost" in f.extra:
            notes.append(f"{f.extra['learners']} learners, lost {f.extra['lost']}, not passed {f.extra['not_passed']}")
        lines.append(
            f"{name:{width}}{_value(f.median, f.unit):>14}{_value(min(f.samples), f.unit):>14}"
            f"{_value(max(f.samples), f.unit):>14}{len(f.samples):>4}{_value(f.floor, f.unit):>14}"
            f"{_ratio(f):>9}  {'; '.join(notes)}"
        )
    return "\n".join(lines)


# --- The run -------------------------------------------------------------------------------


def instance_prepare() -> None:
    """The private data folder as `make start` prepares its own: the database, the shipped
    course, the static files (whitenoise serves them from STATIC_ROOT)."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    course_import(COURSE)


def measure(base: str, runs: int, learners: int, wrk_seconds: int, *, pages_only: bool = False) -> dict[str, Figure]:
    """Every figure, in an order where each floor is measured before what it bounds (with
    ``pages_only``, the static file and the pages alone)."""
    exercises = [Exercise.objects.get(slug=slug) for slug in EXERCISES]
    course = exercises[0].course
    queue_user, browser_user, reader = learners_create(course, ["bench-queue", "bench-browser", "bench-reader"])
    figures: dict[str, Figure] = {}
    if pages_only:
        figures.update(measure_site(base, exercises[0], reader, runs, wrk_seconds))
        return figures
    for exercise in exercises:
        note(f"bare/{exercise.slug}")
        samples, cpu = cpu_sampled(lambda e=exercise: run_bare(e), runs)
        figures[f"bare/{exercise.slug}"] = Figure(samples, extra={"cpu": cpu})
    note("engine")
    client = docker_client()
    image = settings.SANDBOX_IMAGES["flask"]
    samples, cpu = cpu_sampled(lambda: run_engine(client, image), runs)
    figures["engine"] = Figure(samples, extra={"cpu": cpu})
    for kind, fn in (("sandbox", run_sandbox), ("queue", lambda e: run_queue(e, queue_user))):
        for exercise in exercises:
            note(f"{kind}/{exercise.slug}")
            bare = figures[f"bare/{exercise.slug}"].median
            figures[f"{kind}/{exercise.slug}"] = Figure(sampled(lambda e=exercise, fn=fn: fn(e), runs), floor=bare)
    figures.update(measure_runsc(client, image, exercises, figures, runs))
    for slug, samples in measure_browser(base, exercises, browser_user, runs).items():
        figures[f"browser/{slug}"] = Figure(samples, floor=figures[f"bare/{slug}"].median)
    note(f"burst of {learners}")
    flask = exercises[0]
    samples, lost, not_passed = measure_burst(base, flask, learners, runs)
    floor = learners * (figures["bare/flask-hello"].median + figures["engine"].median) / os.cpu_count()
    # The floor counts each run's wall time on one core; a bare run keeps more than one
    # core busy (the app and pytest start side by side), so with every core taken the
    # CPU they need is a floor of its own, and a higher one.
    cpu_floor = learners * (figures["bare/flask-hello"].extra["cpu"] + figures["engine"].extra["cpu"]) / os.cpu_count()
    extra = {"learners": learners, "lost": lost, "not_passed": not_passed, "cpu_floor": cpu_floor}
    figures["burst"] = Figure(samples, floor=floor, extra=extra)
    figures.update(measure_site(base, flask, reader, runs, wrk_seconds))
    return figures


def measure_site(base: str, exercise: Exercise, reader, runs: int, wrk_seconds: int) -> dict[str, Figure]:
    """static and page/*: the reader's pages, with one attempt at ``exercise`` passed."""
    note(f"static and pages, wrk {wrk_seconds} s at {CONNECTIONS} connections")
    run_queue(exercise, reader)  # the reader has one attempt, passed, whatever --runs is
    pages = measure_pages(base, exercise, reader, runs, wrk_seconds)
    static_rate = statistics.median(pages["static"][0])
    figures = {}
    for name, (rates, p99s) in pages.items():
        floor = None if name == "static" else static_rate
        figures[name] = Figure(rates, unit="req/s", floor=floor, extra={"p99": statistics.median(p99s)})
    return figures


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # so that the private instance is stopped on the way out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="samples of each figure (default 10)")
    parser.add_argument("--learners", type=int, default=50, help="learners in the burst (default 50)")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="length of one wrk run (default 5)")
    parser.add_argument("--smoke", action="store_true", help="1 run, a burst of 5, wrk 1 s: does it all run?")
    parser.add_argument("--pages-only", action="store_true", help="the static file and the pages alone")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object on the last line")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.learners, args.wrk_seconds = 1, 5, 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    began, load = time.monotonic(), ", ".join(f"{x:.2f}" for x in os.getloadavg())
    subprocess.run(["bash", str(ROOT / "scripts" / "redis.sh")], check=True)
    instance_prepare()
    started: list[subprocess.Popen] = []
    try:
        base = services_start(free_port(), started)
        note(f"private instance at {base}, data in {VAR}")
        figures = measure(base, args.runs, args.learners, args.wrk_seconds, pages_only=args.pages_only)
    except BaseException:
        note(f"failed; the private instance's logs are kept in {VAR / 'log'}")
        raise
    finally:
        services_stop(started)
    shutil.rmtree(VAR, ignore_errors=True)
    print(
        f"{args.runs} runs each, {os.cpu_count()} CPUs, load {load} at the start; gunicorn ASGI 2 workers, warm pool {pool_size()}, "
        f"Celery concurrency 2; burst of {args.learners}; wrk {args.wrk_seconds} s at {CONNECTIONS} connections"
    )
    print(table(figures))
    print(f"took {time.monotonic() - began:.0f} s")
    if args.json:
        print(json.dumps({"figures": {name: f.as_json() for name, f in figures.items()}}))


if __name__ == "__main__":
    main()
