"""The Celery task: thin. Load by id, grade through the service, retry on outages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Task, shared_task
from celery.signals import worker_ready
from django.conf import settings

from . import runner, services
from .runner import SandboxUnavailable

log = logging.getLogger(__name__)


def run_with_retries(
    task: Task,
    label: str,
    work: Callable[[], str],
    give_up: Callable[[], object],
    lease_left: Callable[[], float | None] | None = None,
) -> str:
    """The shape every sandbox task shares: do ``work``; when the sandbox is unavailable,
    retry with backoff (1, 2, 4 … s, at most 30), and when the retries run out call
    ``give_up`` (which records one clear error). When ``work`` finds its row held by
    another delivery ("not claimed"), come back when that delivery's lease runs out: if
    its worker died, the retry takes over; if it finishes, the retry finds the row done."""
    try:
        outcome = work()
    except SandboxUnavailable as exc:
        if task.request.retries < task.max_retries:
            log.warning("%s: sandbox unavailable (%s); retrying", label, exc)
            raise task.retry(countdown=min(2**task.request.retries, 30), exc=exc) from exc
        give_up()
        return "error: sandbox unavailable"
    if outcome == "not claimed" and lease_left is not None:
        left = lease_left()
        if left is not None:
            raise task.retry(countdown=left + 1, max_retries=None)
    log.info("%s: %s", label, outcome)
    return outcome


@shared_task(bind=True, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def grade_submission(self, submission_id: int) -> str:
    return run_with_retries(
        self,
        f"submission {submission_id}",
        lambda: services.submission_grade(submission_id=submission_id),
        give_up=lambda: services.submission_fail(
            submission_id=submission_id,
            message="The grader could not run your code right now (the sandbox is unavailable). "
            "Nothing is wrong with your submission: please submit again in a minute.",
        ),
        lease_left=lambda: services.submission_lease_left(submission_id=submission_id),
    )


class RegradeTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Anything unexpected (a time limit, a bug) ends the item, never leaves it running;
        the submission keeps the verdict it had."""
        services.regrade_item_fail(
            item_id=args[0], message=f"The regrade of this submission stopped ({type(exc).__name__})."
        )


@shared_task(bind=True, base=RegradeTask, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def regrade_submission(self, item_id: int) -> str:
    """One submission of a regrade (a RegradeItem id): the same shape as grade_submission."""
    return run_with_retries(
        self,
        f"regrade item {item_id}",
        lambda: services.regrade_item_grade(item_id=item_id),
        give_up=lambda: services.regrade_item_fail(
            item_id=item_id, message="The sandbox was unavailable; the submission keeps its verdict."
        ),
        lease_left=lambda: services.regrade_item_lease_left(item_id=item_id),
    )


@shared_task(ignore_result=True)
def sweep_regrades() -> dict[str, int]:
    """Periodic (Celery beat): re-send regrade items the queue lost; refill each window."""
    return services.regrades_sweep()


@shared_task(ignore_result=True)
def sweep_submissions() -> dict[str, int]:
    """Periodic (Celery beat): re-queue submissions the queue lost or a dead worker held."""
    return services.submissions_sweep()


@shared_task(ignore_result=True)
def remove_orphans() -> None:
    """Periodic (Celery beat): remove sandbox containers no honest run would still use."""
    remove_orphan_containers()


@worker_ready.connect
def remove_orphan_containers(**kwargs) -> None:
    """A worker killed mid-run leaves its container behind: remove any sandbox container
    older than the lease when a worker starts (no honest run lasts that long), and
    periodically."""
    try:
        removed = runner.remove_stale_containers(older_than=settings.SUBMISSION_LEASE_SECONDS)
    except SandboxUnavailable as exc:
        log.warning("could not look for orphan sandbox containers: %s", exc)
        return
    if removed:
        log.warning("removed %s orphan sandbox containers", removed)
