"""One lifecycle for every sandbox job: a submission, a regrade item, a validation.

A job is a row (``sandbox.models.Job``) and a Celery message that carries its id:

    queued ──claim──▶ running ──record once──▶ final
      ▲                  │
      └──── release ─────┘   (the sandbox was unavailable, or the grader crashed)

- **Claim** is a filtered update (``queued`` → ``running``, attempts + 1). A row left
  ``running`` past its lease belongs to a dead worker and may be taken over; that
  counts as an attempt too.
- **Record** is a compare-and-set on ``running``: a message delivered twice records once.
- **Release** gives the row back for a retry. A release because the sandbox was
  unavailable gives the attempt back (it was nobody's fault); a crash keeps it.
- **Attempts are capped** (``JOB_MAX_ATTEMPTS``): a job that crashes or kills its worker
  every time ends in one clear error that blames the grader, never the learner, and is
  never picked up again. Celery's soft time limit is such a crash.
- **Sweep**: rows whose message was lost are sent again; rows running past their lease
  are sent again (or ended, at the cap).
- **Told**: each change of state (claimed, released, ended) is published on the kind's
  channels once committed (``sandbox.events``), so a page watching the row learns of it
  at once; the row stays the truth.
- **Leases and time limits**: a job that runs ``runs`` sandboxes in a row has ``runs``
  leases, and its Celery hard time limit sits inside them, so a row whose worker is
  still running is never claimed twice.

Each kind says only what differs: how it grades, what it records, what its error says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone

from lessons.models import Exercise

from .. import events
from ..models import Job
from ..runner import SandboxUnavailable
from ..storable import storable

log = logging.getLogger(__name__)

# Celery's hard time limit ends this long before the lease; the soft one this long before
# the hard one, so a job that overruns is told (and recorded) before it is killed.
LEASE_MARGIN_SECONDS = 10
SOFT_MARGIN_SECONDS = 10


class JobCrashed(Exception):
    """Grading raised something unexpected; the row went back to the queue for a retry."""


def exercise_as_now(exercise_id: int) -> Exercise:
    """The exercise as it is now: its files read together with its version. If an edit
    lands while the files are read, read again, so a verdict names the version that
    graded it. Every job reads the exercise through this one function."""
    for _ in range(3):
        exercise = Exercise.objects.prefetch_related("files").get(id=exercise_id)
        if Exercise.objects.values_list("version", flat=True).get(id=exercise_id) == exercise.version:
            break
    return exercise


@dataclass(frozen=True)
class Outcome:
    """What a kind's ``grade`` returns: its results, the exercise version they used, and
    in a word what they say (for the log)."""

    results: Any
    exercise_version: int
    status: str
    worker: str = ""  # the Celery worker's node name, set by ``job_run``


class JobKind:
    """What differs between kinds of job. Subclasses set the class attributes and
    implement ``exercise_id``, ``grade``, ``record``, ``end_in_error`` and ``send``."""

    name: ClassVar[str]  # for the log: "submission 12"
    model: ClassVar[type[Job]]
    runs: ClassVar[int] = 1  # sandboxes run one after another (at worst) per attempt
    # Whether the sweeper sends rows that were never sent (a regrade's waiting items are
    # sent by its pump, a few at a time, not by the sweeper).
    sweeps_unsent: ClassVar[bool] = True
    # Said when the retries for an unavailable sandbox run out, and at the attempt cap.
    unavailable_message: ClassVar[str]
    crashed_message: ClassVar[str]

    # --- what a kind implements ---

    def exercise_id(self, job: Job) -> int:
        raise NotImplementedError

    def grade(self, job: Job, exercise: Exercise) -> Outcome:
        """Run the sandbox. May raise SandboxUnavailable."""
        raise NotImplementedError

    def record(self, job: Job, outcome: Outcome) -> bool:
        """End the row with its verdict, once: only a running row takes it."""
        raise NotImplementedError

    def end_in_error(self, job_id: int, message: str, *, note: str = "") -> bool:
        """End a running row with an error (``note``: for staff only), once."""
        raise NotImplementedError

    def send(self, job_id: int) -> None:
        """Hand the id to the broker (the task's ``delay``)."""
        raise NotImplementedError

    def after(self, job_id: int) -> None:
        """Called after the row ended, however it ended (a regrade sends its next item)."""

    def channels(self, job_id: int) -> list[str]:
        """The event channels told of the row's changes (see ``sandbox.events``)."""
        return []

    # --- derived ---

    def label(self, job_id: int) -> str:
        return f"{self.name} {job_id}"

    def changed(self, job_id: int) -> None:
        """Tell the row's watchers to look again, once committed."""
        events.publish_on_commit(self.channels(job_id))

    @property
    def lease_seconds(self) -> int:
        return settings.JOB_LEASE_SECONDS * self.runs

    @property
    def time_limit(self) -> int:
        return self.lease_seconds - LEASE_MARGIN_SECONDS

    @property
    def soft_time_limit(self) -> int:
        return self.time_limit - SOFT_MARGIN_SECONDS


def _claimable(kind: JobKind, now) -> Q:
    stale = now - timedelta(seconds=kind.lease_seconds)
    return Q(status=Job.QUEUED) | Q(status=Job.RUNNING, started_at__lt=stale)


def job_claim(kind: JobKind, job_id: int) -> Job | None:
    """Claim the row (``queued`` → ``running``, or take over a dead worker's row past its
    lease); None if another worker holds it, it has ended, or it reached the cap (then it
    is ended here, with the grader's error)."""
    now = timezone.now()
    claimable = kind.model.objects.filter(_claimable(kind, now), id=job_id)
    if claimable.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        status=Job.RUNNING, started_at=now, attempts=F("attempts") + 1
    ):
        kind.changed(job_id)
        return kind.model.objects.get(id=job_id)
    if claimable.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).exists():
        job_give_up(kind, job_id, note="its worker stopped (killed, or past Celery's hard time limit) every time")
    return None


def job_release(kind: JobKind, job: Job, *, counted: bool) -> None:
    """Give a claimed row back to the queue for a retry. ``counted=False`` (the sandbox
    was unavailable) gives the attempt back: an outage is nobody's attempt. Only this
    claim's row is released (its ``started_at`` is the claim's mark): after a takeover,
    a late worker gives back nothing."""
    changes: dict[str, Any] = {"status": Job.QUEUED}
    if not counted:
        changes["attempts"] = F("attempts") - 1
    if kind.model.objects.filter(id=job.id, status=Job.RUNNING, started_at=job.started_at).update(**changes):
        kind.changed(job.id)


def job_fail(kind: JobKind, job_id: int, message: str, *, note: str = "") -> bool:
    """End a queued or running row with an error (the sandbox stayed unavailable, the
    broker could not take it, the grader gave up). True if this call ended it."""
    kind.model.objects.filter(id=job_id, status=Job.QUEUED).update(status=Job.RUNNING, started_at=timezone.now())
    ended = kind.end_in_error(job_id, storable(message), note=storable(note))
    if ended:
        kind.changed(job_id)
        kind.after(job_id)
    return ended


def job_give_up(kind: JobKind, job_id: int, *, note: str) -> bool:
    """The attempt cap: end the row with the grader's error, log why, never retry it."""
    attempts = kind.model.objects.filter(id=job_id).values_list("attempts", flat=True).first()
    ended = job_fail(kind, job_id, kind.crashed_message, note=f"Gave up after {attempts} attempts: {note}")
    if ended:
        log.error("%s: gave up after %s attempts (%s)", kind.label(job_id), attempts, note)
    return ended


def job_lease_left(kind: JobKind, job_id: int) -> float | None:
    """Seconds until a running row's lease runs out; None if it is not running."""
    row = kind.model.objects.filter(id=job_id, status=Job.RUNNING).values("started_at").first()
    if row is None or row["started_at"] is None:
        return None
    ends = row["started_at"] + timedelta(seconds=kind.lease_seconds)
    return max(0.0, (ends - timezone.now()).total_seconds())


def job_run(kind: JobKind, job_id: int, *, last_try: bool = False, worker: str = "") -> str:
    """Claim, grade, record once. Returns what happened, for the log.

    Raises SandboxUnavailable after giving the row (and its attempt) back — unless this
    is the ``last_try`` the task allows an outage, when the row it still holds ends in
    the kind's "unavailable" error instead — and JobCrashed after giving the row back
    when grading raised anything else below the attempt cap; at the cap the row ends in
    the grader's error instead.
    """
    job = job_claim(kind, job_id)
    if job is None:
        return "not claimed"
    try:
        outcome = kind.grade(job, exercise_as_now(kind.exercise_id(job)))
    except SandboxUnavailable as exc:
        if last_try:
            # Ended while still held: no other delivery can have claimed it meanwhile.
            log.warning("%s: sandbox unavailable on the last try (%s)", kind.label(job_id), exc)
            if kind.end_in_error(job_id, kind.unavailable_message):
                kind.changed(job_id)
                kind.after(job_id)
            return "error: sandbox unavailable"
        job_release(kind, job, counted=False)
        raise
    except Exception as exc:  # a bug, Celery's soft time limit, anything: never a stuck row
        log.exception("%s: grading crashed on attempt %s", kind.label(job_id), job.attempts)
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            job_give_up(kind, job_id, note=f"grading raised {type(exc).__name__}: {exc}"[:500])
            return "error: the grader failed"
        job_release(kind, job, counted=True)
        raise JobCrashed(f"{type(exc).__name__}: {exc}") from exc
    # What the learner's code wrote is in the results: made storable on every database.
    outcome = replace(outcome, results=storable(outcome.results), worker=worker)
    try:
        recorded = kind.record(job, outcome)
    except DatabaseError as exc:
        # The database refused the results: end the row in the grader's error at once,
        # rather than leave it running for the sweeper to grade again and fail again.
        log.exception("%s: the database refused the results", kind.label(job_id))
        job_fail(kind, job_id, kind.crashed_message, note=f"recording raised {type(exc).__name__}: {exc}"[:500])
        return "error: the results could not be recorded"
    if recorded:
        kind.changed(job_id)
    kind.after(job_id)
    return outcome.status if recorded else "verdict already recorded"


def job_enqueue(kind: JobKind, job_id: int, *, resend: bool = False) -> bool:
    """Hand the id to the broker. The first send is a compare-and-set on ``enqueued_at``,
    so two senders never send one job twice; the sweeper resends what the queue lost. If
    the broker is down the row stays queued and the sweeper sends it later."""
    rows = kind.model.objects.filter(id=job_id, status__in=[Job.QUEUED, Job.RUNNING])
    if not resend:
        rows = rows.filter(enqueued_at__isnull=True)
    if rows.update(enqueued_at=timezone.now()) != 1:
        return False
    try:
        kind.send(job_id)
    except Exception as exc:  # kombu and redis raise many kinds; all mean "not sent"
        log.warning("%s: could not reach the broker (%s); the sweeper will retry", kind.label(job_id), exc)
        return False
    return True


def jobs_sweep(kind: JobKind) -> dict[str, int]:
    """What the queue lost: rows still queued long after they were sent (or never sent),
    and rows running past their lease whose last message is old too (its worker died).
    Both are sent again; a running row at the attempt cap is ended instead."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.JOB_SWEEP_AFTER_SECONDS)
    lease = now - timedelta(seconds=kind.lease_seconds)
    rows = kind.model.objects
    lost = Q(enqueued_at__lt=quiet)
    if kind.sweeps_unsent:
        # Never sent (the broker was down at submit): left alone a moment after creation,
        # while the send after commit may still be on its way.
        lost |= Q(enqueued_at__isnull=True, created_at__lt=quiet)
    queued = list(rows.filter(lost, status=Job.QUEUED).values_list("id", flat=True))
    stuck = rows.filter(status=Job.RUNNING, started_at__lt=lease).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=quiet)
    )
    capped = list(stuck.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).values_list("id", flat=True))
    resend = list(stuck.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).values_list("id", flat=True))
    for job_id in capped:
        job_give_up(kind, job_id, note="its worker stopped (killed, or past Celery's hard time limit) every time")
    sent = sum(job_enqueue(kind, job_id, resend=True) for job_id in queued + resend)
    if queued or resend or capped:
        log.warning(
            "sweep %s: re-sent %s waiting and %s stuck, ended %s at the attempt cap",
            kind.name,
            len(queued),
            len(resend),
            len(capped),
        )
    return {"queued": len(queued), "stuck": len(resend), "capped": len(capped), "sent": sent}
