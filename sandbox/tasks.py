"""The Celery tasks: thin. Each loads its job by id and runs it on the one lifecycle
(``services.jobs``); what differs between kinds lives in the kind, not here."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready, worker_shutdown

from . import grading, heartbeat, runner
from .runner import SandboxUnavailable
from .services import jobs
from .services.regrades import REGRADE_ITEMS, regrades_sweep
from .services.submissions import SUBMISSIONS, submissions_sweep
from .services.validations import VALIDATIONS, validations_sweep

log = logging.getLogger(__name__)

# An unavailable sandbox is retried this often, with backoff (1, 2, 4 … s, at most 30),
# before the row ends in a clear error. Counted in the message (``outages``), apart from
# Celery's own count of retries: a crash is bounded by the row's attempt cap, and waiting
# for another worker's lease by the lease, so those retries are not limited here.
SANDBOX_RETRIES = 5
MAX_BACKOFF_SECONDS = 30


def run_job(task: Task, kind: jobs.JobKind, job_id: int, outages: int = 0) -> str:
    """Run one job. When the sandbox is unavailable, retry with backoff, and on the last
    try end the row with one clear error. When grading crashed (below the attempt cap,
    which the row itself counts), retry. When the row is held by another delivery, come
    back when its lease runs out: if that worker died, the retry takes over; if it
    finishes, the retry finds the row done."""
    label = kind.label(job_id)
    running = heartbeat.job_started(task.request.hostname or "", label, kind.lease_seconds)
    try:
        outcome = jobs.job_run(kind, job_id, last_try=outages >= SANDBOX_RETRIES, worker=task.request.hostname or "")
    except SandboxUnavailable as exc:
        log.warning("%s: sandbox unavailable (%s); retrying", label, exc)
        countdown = min(2**outages, MAX_BACKOFF_SECONDS)
        raise task.retry(countdown=countdown, exc=exc, kwargs={"outages": outages + 1}) from exc
    except jobs.JobCrashed as exc:
        countdown = min(5 * 2 ** min(task.request.retries, 5), MAX_BACKOFF_SECONDS)
        raise task.retry(countdown=countdown, exc=exc) from exc
    finally:
        heartbeat.job_ended(running)
    if outcome == "not claimed":
        left = jobs.job_lease_left(kind, job_id)
        if left is not None:
            raise task.retry(countdown=left + 1)
    log.info("%s: %s", label, outcome)
    return outcome


class JobTask(Task):
    """A backstop: whatever escapes ``run_job`` (the database gone, Celery's hard limit
    seen by the parent) leaves the row to its lease, where the sweeper finds it, counts
    the attempt, and ends it at the cap. Logged here with its traceback."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        log.error("task %s (%s) failed: %s\n%s", self.name, args, exc, einfo)


def _job_task(kind: jobs.JobKind, **options):
    return shared_task(
        bind=True,
        base=JobTask,
        max_retries=None,  # see SANDBOX_RETRIES
        acks_late=True,
        reject_on_worker_lost=True,
        soft_time_limit=kind.soft_time_limit,
        time_limit=kind.time_limit,
        **options,
    )


@_job_task(SUBMISSIONS)
def grade_submission(self, submission_id: int, outages: int = 0) -> str:
    return run_job(self, SUBMISSIONS, submission_id, outages)


@_job_task(REGRADE_ITEMS)
def regrade_submission(self, item_id: int, outages: int = 0) -> str:
    """One submission of a regrade (a RegradeItem id)."""
    return run_job(self, REGRADE_ITEMS, item_id, outages)


@_job_task(VALIDATIONS)
def validate_exercise(self, validation_id: int, outages: int = 0) -> str:
    """One "Validate" of an exercise (an ExerciseValidation id)."""
    return run_job(self, VALIDATIONS, validation_id, outages)


@shared_task(ignore_result=True)
def sweep_jobs() -> dict[str, dict[str, int]]:
    """Periodic (Celery beat): re-send the jobs the queue lost or a dead worker held; end
    those at the attempt cap; refill each regrade's window."""
    return {
        "submissions": submissions_sweep(),
        "regrade items": regrades_sweep(),
        "validations": validations_sweep(),
    }


@shared_task(ignore_result=True)
def remove_orphans() -> None:
    """Periodic (Celery beat): remove sandbox containers no honest run would still use."""
    remove_orphan_containers()


@worker_ready.connect
def remove_orphan_containers(**kwargs) -> None:
    """A worker killed mid-run leaves its container behind: remove any sandbox container
    older than the longest lease when a worker starts (no honest run lasts that long),
    and periodically."""
    try:
        removed = runner.remove_stale_containers(older_than=VALIDATIONS.lease_seconds)
    except SandboxUnavailable as exc:
        log.warning("could not look for orphan sandbox containers: %s", exc)
        return
    if removed:
        log.warning("removed %s orphan sandbox containers", removed)


@worker_process_init.connect
def start_warm_pool(**kwargs) -> None:
    """Each worker process keeps its own warm sandboxes (when the pool is on)."""
    grading.pool_start()


@worker_process_shutdown.connect
def drain_warm_pool(**kwargs) -> None:
    """A stopping worker process removes its warm sandboxes (the sweeper removes those
    of one that was killed, once they expire)."""
    removed = runner.POOL.drain()
    runner.REMOVALS.wait()  # the containers of its last runs too
    if removed:
        log.info("removed %s warm sandboxes", removed)


HEARTBEAT: list[heartbeat.Heartbeat] = []


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs) -> None:
    """The worker's main process beats for it (``sandbox.heartbeat``): the web's /healthz
    and status page learn of its engine, images and pool from that."""
    node = getattr(sender, "hostname", None) or "celery@unknown"
    concurrency = getattr(getattr(sender, "controller", None), "concurrency", None)
    beating = heartbeat.Heartbeat(node, concurrency)
    beating.start()
    HEARTBEAT.append(beating)


@worker_shutdown.connect
def stop_heartbeat(**kwargs) -> None:
    while HEARTBEAT:
        HEARTBEAT.pop().stop()
