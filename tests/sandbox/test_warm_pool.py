"""Warm sandboxes (sandbox.runner.WarmPool), in the real engine: a container started
ahead of need, its processes waiting for their files, serves one run and is gone; it has
exactly a cold container's limits; its wall clock starts when the files are handed over;
runs it does not serve take the cold path, and with the pool off nothing changes."""

import dataclasses
import time

import pytest
from django.conf import settings

from sandbox import grading, runner
from sandbox.runner import POOL_LABEL, SANDBOX_LABEL, Limits, RunRequest
from tests.conftest import solution_files

pytestmark = pytest.mark.docker

FLASK = settings.SANDBOX_IMAGES["flask"]
DEFAULTS = Limits(**settings.SANDBOX_DEFAULT_LIMITS)


@pytest.fixture
def pool(docker_engine):
    """The process's pool, on (one per image) for the test, drained and off after it."""
    runner.POOL.configure(size=1, max_age=120, limits=DEFAULTS)
    yield runner.POOL
    runner.POOL.configure(size=0, max_age=120, limits=DEFAULTS)
    runner.POOL.drain()


def wait_ready(pool, image=FLASK, framework="flask", count=1, timeout=30.0):
    pool.keep_warm(image, framework)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pool.lock:
            ready = list(pool.ready.get((image, framework), []))
        if len(ready) >= count:
            return ready
        time.sleep(0.1)
    raise AssertionError("the pool did not fill")


def request(files, limits=DEFAULTS, **changes):
    from tests.conftest import exercise_folder

    tests = {p.name: p.read_text() for p in (exercise_folder("flask-hello") / "tests").glob("*.py")}
    base = RunRequest(
        image=FLASK, framework="flask", entrypoint="app:app", app_files=files, test_files=tests, limits=limits
    )
    return dataclasses.replace(base, **changes)


def test_a_warm_sandbox_serves_one_run_and_is_then_gone(pool, docker_engine):
    first = wait_ready(pool)[0]
    outcome = runner.run(request(solution_files("flask-hello"), name="duet-test-warm-1"))
    result = grading.judge(outcome, DEFAULTS)
    assert result["status"] == "pass", result["message"]
    assert outcome.timings["warm"] == 1.0 and "created" not in outcome.timings  # no container made for it
    assert runner.REMOVALS.wait()
    gone = [c.id for c in docker_engine.containers.list(all=True, filters={"label": SANDBOX_LABEL})]
    assert first.container.id not in gone  # removed like any other
    second = wait_ready(pool)[0]
    assert second.container.id != first.container.id  # a new one was started: never reused
    again = runner.run(request({"app.py": "broken(\n"}))
    assert again.timings["warm"] == 1.0 and grading.judge(again, DEFAULTS)["status"] == "error"


def test_a_warm_sandbox_is_ready_only_once_both_processes_wait_for_their_files(pool):
    # Handed out earlier, a run's clock would start while the interpreters still import.
    warm = wait_ready(pool)[0]
    assert warm.procs.app.outcome.waiting_at is not None
    assert warm.procs.grader.outcome.waiting_at is not None
    assert [event["event"] for event in warm.procs.app.outcome.events] == ["waiting"]


def test_a_warm_sandbox_has_exactly_the_limits_of_a_cold_one(pool, docker_engine):
    warm = wait_ready(pool)[0]
    cold = runner._create_container(
        docker_engine, request({}, name="duet-test-cold"), time.monotonic(), {}, idle_seconds=30
    )
    try:
        keys = [
            "Memory", "MemorySwap", "NanoCpus", "PidsLimit", "ReadonlyRootfs", "Tmpfs", "CapDrop", "SecurityOpt",
            "Ulimits", "NetworkMode", "Init", "IpcMode", "Binds", "Mounts", "Privileged", "LogConfig",
        ]  # fmt: skip
        warm_host = docker_engine.api.inspect_container(warm.container.id)["HostConfig"]
        cold_host = docker_engine.api.inspect_container(cold.id)["HostConfig"]
        assert {k: warm_host.get(k) for k in keys} == {k: cold_host.get(k) for k in keys}
        warm_config = docker_engine.api.inspect_container(warm.container.id)["Config"]
        assert warm_config["User"] == runner.IDLE_USER and warm_config["Labels"][POOL_LABEL] == "1"
    finally:
        runner._remove(cold)


def test_the_wall_clock_starts_when_the_files_are_handed_over(docker_engine):
    short = dataclasses.replace(DEFAULTS, wall_seconds=4.0)
    runner.POOL.configure(size=1, max_age=120, limits=short)
    try:
        wait_ready(runner.POOL)
        time.sleep(5)  # longer than the run's whole wall time, waiting in the pool
        outcome = runner.run(request(solution_files("flask-hello"), limits=short))
        assert outcome.timings["warm"] == 1.0
        assert grading.judge(outcome, short)["status"] == "pass"
    finally:
        runner.POOL.configure(size=0, max_age=120, limits=DEFAULTS)
        runner.POOL.drain()


def test_runs_the_pool_does_not_serve_take_the_cold_path(pool):
    wait_ready(pool)
    other = dataclasses.replace(DEFAULTS, memory_mb=DEFAULTS.memory_mb + 64)
    assert pool.take(request({}, limits=other)) is None  # other limits: fixed at creation
    assert pool.take(request({}, targets=({"app.py": ""},))) is None  # a run of the learner's tests
    outcome = runner.run(request(solution_files("flask-hello"), limits=other))
    assert "warm" not in outcome.timings and "created" in outcome.timings


def test_with_the_pool_off_a_run_is_cold_and_leaves_nothing(docker_engine):
    assert runner.POOL.size == 0 or settings.SANDBOX_POOL_SIZE == 0
    runner.POOL.configure(size=0, max_age=120, limits=DEFAULTS)
    outcome = runner.run(request(solution_files("flask-hello")))
    assert "warm" not in outcome.timings and grading.judge(outcome, DEFAULTS)["status"] == "pass"
    assert docker_engine.containers.list(all=True, filters={"label": POOL_LABEL}) == []


def test_the_replacement_of_a_warm_sandbox_is_made_once_its_run_is_over(pool, monkeypatch):
    # Made during the run, it would take the CPU from the run being graded.
    wait_ready(pool)
    makes = []
    make = pool._make
    monkeypatch.setattr(pool, "_make", lambda *args: makes.append(time.monotonic()) or make(*args))
    outcome = runner.run(request(solution_files("flask-hello")))
    over = time.monotonic()
    assert outcome.timings["warm"] == 1.0
    wait_ready(pool)
    assert makes and makes[0] >= over - 0.05, (makes, over)


def test_a_drained_pool_makes_no_more_sandboxes(pool, docker_engine):
    # A stopping worker drains its pool: the refill thread, still alive until the
    # process ends, must not make a sandbox nobody will remove.
    wait_ready(pool)
    assert pool.drain() == 1
    pool.wake.set()  # as a run ending or the thread's own timer would
    time.sleep(2.5)  # a sandbox takes about a second to make here
    assert docker_engine.containers.list(all=True, filters={"label": POOL_LABEL}) == []


def test_an_expired_warm_sandbox_is_not_handed_out_and_the_sweeper_knows_it(pool, docker_engine):
    warm = wait_ready(pool)[0]
    warm.expires = time.time()  # as if it had waited its whole age
    assert pool.take(request({})) is None  # not handed out (and removed)
    # The sweeper leaves a live warm sandbox to its pool, and removes one past its age.
    fresh = wait_ready(pool)[0]
    assert runner.remove_stale_containers(older_than=600) == 0
    ids = [c.id for c in docker_engine.containers.list(all=True, filters={"label": POOL_LABEL})]
    assert fresh.container.id in ids and warm.container.id not in ids


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_grades_from_its_warm_pool_and_removes_it_when_it_stops(
    course, learner, docker_engine, redis_server, tmp_path, django_capture_on_commit_callbacks
):
    """A worker started as make start starts it (the pool on): submissions are graded in
    warm sandboxes, each by its own container, and the worker's stop removes its pool."""
    from course.celery import app
    from sandbox.services import submission_create
    from tests.conftest import start_celery_worker, stop_celery_worker, wait_for_verdict

    # This process's own pool off and empty (a refill of an earlier test may be in flight):
    # every warm sandbox from here on is the worker's.
    runner.POOL.configure(size=0, max_age=120, limits=DEFAULTS)
    runner.POOL.drain()
    deadline = time.monotonic() + 15
    while docker_engine.containers.list(all=True, filters={"label": POOL_LABEL}):
        assert time.monotonic() < deadline, "warm sandboxes of this process stayed"
        time.sleep(0.2)
    queue = f"duet-test-pool-{int(time.time())}"
    worker = start_celery_worker(queue, tmp_path / "worker.log", {"DUET_SANDBOX_POOL": "1"})
    before, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:

        def wait_until_ready(count: int) -> None:
            """Until the worker's log says ``count`` warm sandboxes were made ready."""
            deadline = time.monotonic() + 30
            while (tmp_path / "worker.log").read_text().count("warm sandbox ready: ") < count:
                assert time.monotonic() < deadline, "the worker's pool did not fill"
                time.sleep(0.2)

        exercise = course.exercises.get(slug="flask-hello")
        verdicts = []
        for done in range(3):
            # Two processes, one per framework each, and one more made for each run so far:
            # as between two learners, the pool refills in the background.
            wait_until_ready(4 + done)
            submission = submission_create(user=learner, exercise=exercise, files=solution_files("flask-hello"))
            verdicts.append(wait_for_verdict(submission.id).verdict)
        assert [v.status for v in verdicts] == ["pass"] * 3
        assert all(v.result["timings"].get("warm") == 1.0 for v in verdicts), [v.result["timings"] for v in verdicts]
    finally:
        app.conf.task_default_queue = before
        stop_celery_worker(worker)
    assert docker_engine.containers.list(all=True, filters={"label": POOL_LABEL}) == []
