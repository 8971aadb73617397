"""Regrades: every graded submission of an exercise run again with its current tests.

A regrade never moves a submission back through its own queue: each submission it covers
is a ``RegradeItem``, a job with the same lifecycle (``jobs``), and its verdict is added
to the submission's history and made current in one transaction. So the learner's page
keeps a verdict all along, a learner's pending submission is not touched, and a regrade
delivered twice still adds one verdict. Items go to the broker a few at a time (the
pump), so a learner's own submission never waits behind a whole exercise.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import Exercise

from .. import events, grading
from ..models import Regrade, RegradeItem, Submission
from . import jobs
from .errors import ReviewRefused
from .submissions import verdict_add

log = logging.getLogger(__name__)
ItemStatus = RegradeItem.Status


class RegradeRefused(ReviewRefused):
    """A regrade that cannot start; ``running`` is the regrade already under way, if any."""

    def __init__(self, message: str, running: Regrade | None = None) -> None:
        super().__init__(message)
        self.running = running


def regrade_start(*, exercise: Exercise, user) -> Regrade:
    """Regrade every graded submission of the exercise with its current tests.

    Submissions still waiting for their first verdict are left alone (they will be graded
    with the current tests anyway). Items go to the queue after commit, a few at a time.
    """
    running = Regrade.objects.filter(exercise=exercise, finished_at__isnull=True).first()
    if running is not None:
        raise RegradeRefused("A regrade of this exercise is already running.", running=running)
    graded = list(
        Submission.objects.filter(exercise=exercise, status__in=Submission.FINAL)
        .order_by("id")
        .values_list("id", "status")
    )
    try:
        with transaction.atomic():
            regrade = Regrade.objects.create(
                exercise=exercise,
                version=exercise.version,
                requested_by=user,
                total=len(graded),
                skipped_pending=Submission.objects.filter(exercise=exercise, status__in=Submission.PENDING).count(),
                finished_at=None if graded else timezone.now(),
            )
            RegradeItem.objects.bulk_create(
                (RegradeItem(regrade=regrade, submission_id=sid, previous_status=status) for sid, status in graded),
                batch_size=500,
            )
            transaction.on_commit(lambda: regrade_pump(regrade_id=regrade.id))
    except IntegrityError:
        # Another grader started one a moment ago (the database keeps one at a time).
        running = Regrade.objects.filter(exercise=exercise, finished_at__isnull=True).first()
        raise RegradeRefused("A regrade of this exercise is already running.", running=running) from None
    log.info("regrade %s of %s v%s: %s submissions", regrade.id, exercise.slug, exercise.version, len(graded))
    return regrade


def regrade_item_enqueue(*, item_id: int, resend: bool = False) -> bool:
    """Hand one item to the broker (once, unless ``resend``: see ``jobs.job_enqueue``)."""
    return jobs.job_enqueue(REGRADE_ITEMS, item_id, resend=resend)


def regrade_pump(*, regrade_id: int) -> int:
    """Keep REGRADE_IN_FLIGHT items of the regrade in the queue: called when it starts,
    after each item, and by the sweeper. Returns how many were sent."""
    items = RegradeItem.objects.filter(regrade_id=regrade_id)
    in_flight = items.filter(status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING], enqueued_at__isnull=False).count()
    room = settings.REGRADE_IN_FLIGHT - in_flight
    if room <= 0:
        return 0
    waiting = list(
        items.filter(status=ItemStatus.QUEUED, enqueued_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:room]
    )
    sent = sum(regrade_item_enqueue(item_id=item_id) for item_id in waiting)
    if not waiting:
        regrade_finish_if_done(regrade_id=regrade_id)
    return sent


def regrade_finish_if_done(*, regrade_id: int) -> bool:
    if RegradeItem.objects.filter(regrade_id=regrade_id, status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING]).exists():
        return False
    if Regrade.objects.filter(id=regrade_id, finished_at__isnull=True).update(finished_at=timezone.now()) != 1:
        return False
    events.publish_on_commit([events.regrade_channel(regrade_id)])
    return True


def regrade_item_record(*, item_id: int, result: dict[str, Any], exercise_version: int, worker: str = "") -> bool:
    """Record a regrade's verdict once: the item (running → done), the verdict row and the
    submission's current verdict change together, or not at all."""
    with transaction.atomic():
        if (
            RegradeItem.objects.filter(id=item_id, status=ItemStatus.RUNNING).update(
                status=ItemStatus.DONE, finished_at=timezone.now()
            )
            != 1
        ):
            return False
        item = RegradeItem.objects.select_related("submission").get(id=item_id)
        # Only a graded row is regraded, and a graded row never goes back to the queue;
        # the filter says so to the database too.
        if Submission.objects.filter(id=item.submission_id, status__in=Submission.FINAL).update(
            status=result["status"]
        ):
            verdict = verdict_add(
                submission_id=item.submission_id,
                exercise_id=item.submission.exercise_id,
                result=result,
                exercise_version=exercise_version,
                regrade_id=item.regrade_id,
                worker=worker,
            )
            RegradeItem.objects.filter(id=item_id).update(verdict=verdict)
    log.info("regrade item %s: submission %s regraded %s", item_id, item.submission_id, result["status"])
    return True


class RegradeItemJob(jobs.JobKind):
    name = "regrade item"
    model = RegradeItem
    sweeps_unsent = False  # the pump sends waiting items, a few at a time
    unavailable_message = "The sandbox was unavailable; the submission keeps its verdict."
    crashed_message = "The grader failed while regrading this submission; it keeps its verdict."

    def exercise_id(self, job: RegradeItem) -> int:
        return job.submission.exercise_id

    def grade(self, job: RegradeItem, exercise: Exercise) -> jobs.Outcome:
        result = grading.grade(
            exercise,
            job.submission.files,
            name=f"duet-regrade-{job.id}-{job.attempts}",
            labels={"duet.submission": str(job.submission_id), "duet.regrade": str(job.regrade_id)},
        )
        return jobs.Outcome(result, exercise.version, result["status"])

    def record(self, job: RegradeItem, outcome: jobs.Outcome) -> bool:
        return regrade_item_record(
            item_id=job.id, result=outcome.results, exercise_version=outcome.exercise_version, worker=outcome.worker
        )

    def end_in_error(self, job_id: int, message: str, *, note: str = "") -> bool:
        """The item could not be regraded: it ends ``failed``; the submission keeps its verdict."""
        return (
            RegradeItem.objects.filter(id=job_id, status=ItemStatus.RUNNING).update(
                status=ItemStatus.FAILED, message=message, finished_at=timezone.now()
            )
            == 1
        )

    def channels(self, job_id: int) -> list[str]:
        """The regrade's progress page: each item's change moves its counts."""
        regrade_id = RegradeItem.objects.values_list("regrade_id", flat=True).filter(id=job_id).first()
        return [] if regrade_id is None else [events.regrade_channel(regrade_id)]

    def send(self, job_id: int) -> None:
        from ..tasks import regrade_submission

        regrade_submission.delay(job_id)

    def after(self, job_id: int) -> None:
        regrade_id = RegradeItem.objects.values_list("regrade_id", flat=True).filter(id=job_id).first()
        if regrade_id is not None:
            regrade_pump(regrade_id=regrade_id)


REGRADE_ITEMS = RegradeItemJob()


def regrade_item_claim(*, item_id: int) -> bool:
    return jobs.job_claim(REGRADE_ITEMS, item_id) is not None


def regrade_item_grade(*, item_id: int) -> str:
    """Claim, grade with the exercise's current tests, record; then send the next item."""
    return jobs.job_run(REGRADE_ITEMS, item_id)


def regrade_item_fail(*, item_id: int, message: str) -> bool:
    """The item could not be regraded (after the retries): the submission keeps its verdict."""
    return jobs.job_fail(REGRADE_ITEMS, item_id, message)


def regrades_sweep() -> dict[str, int]:
    """Items the queue lost or a dead worker held are sent again, and every unfinished
    regrade gets its window refilled."""
    swept = jobs.jobs_sweep(REGRADE_ITEMS)
    for regrade_id in Regrade.objects.filter(finished_at__isnull=True).values_list("id", flat=True):
        swept["sent"] += regrade_pump(regrade_id=regrade_id)
    return swept
