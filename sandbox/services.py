"""Submissions: checking what a learner sends, claiming rows, recording verdicts; and
the review of them: comments, overrides, regrades.

The database row is the truth. A submission is created ``queued``; a worker claims it
with a filtered update (``queued`` → ``running``) and writes exactly one final verdict
with a compare-and-set, so a task delivered twice cannot grade or record twice.

A regrade never moves a submission back through that queue: each submission it covers is
a ``RegradeItem`` with the same claim / compare-and-set life of its own, and its verdict
is added to the submission's history and made current in one transaction. So the
learner's page keeps a verdict all along, a learner's pending submission is not touched,
and a regrade delivered twice still adds one verdict.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from lessons import markdown
from lessons.models import Exercise

from . import grading
from .models import (
    VERDICT_CHOICES,
    Comment,
    FailedTest,
    Regrade,
    RegradeItem,
    Submission,
    Verdict,
    VerdictOverride,
    count_tests,
)
from .runner import SandboxUnavailable

log = logging.getLogger(__name__)
Status = Submission.Status


class SubmissionRefused(ValueError):
    """Learner input that cannot be graded; the message says why, in plain words."""


class SubmissionThrottled(SubmissionRefused):
    """Too many submissions too fast; ``retry_after`` says when to try again (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def submission_throttle_check(*, user) -> None:
    """Per learner: at most SUBMISSION_RATE submissions in SUBMISSION_RATE_WINDOW seconds,
    and at most SUBMISSION_MAX_PENDING waiting for a verdict at once. Counted from the
    rows themselves, so every web process agrees."""
    window = settings.SUBMISSION_RATE_WINDOW_SECONDS
    since = timezone.now() - timedelta(seconds=window)
    recent = list(
        Submission.objects.filter(user=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[: settings.SUBMISSION_RATE]
    )
    if len(recent) >= settings.SUBMISSION_RATE:
        wait = max(1, int((recent[0] + timedelta(seconds=window) - timezone.now()).total_seconds()) + 1)
        raise SubmissionThrottled(
            f"You have submitted {settings.SUBMISSION_RATE} times in the last {window} seconds. "
            f"Please wait {wait} s and submit again; your code is still in the editor.",
            retry_after=wait,
        )
    pending = Submission.objects.filter(user=user, status__in=[Status.QUEUED, Status.RUNNING]).count()
    if pending >= settings.SUBMISSION_MAX_PENDING:
        raise SubmissionThrottled(
            f"You already have {pending} submissions waiting for a verdict. "
            "Please wait for one to finish, then submit again; your code is still in the editor.",
            retry_after=5,
        )


def submission_files_clean(*, exercise: Exercise, files: dict[str, str | bytes]) -> dict[str, str]:
    """Check names, sizes and encoding; return the editable files as text.

    Editable files the learner did not send keep their starter text.
    """
    allowed = list(exercise.editable)
    cleaned: dict[str, str] = {}
    total = 0
    for name, content in files.items():
        path = PurePosixPath(str(name))
        if str(path) not in allowed or path.is_absolute() or ".." in path.parts:
            listing = ", ".join(allowed) or "(none)"
            raise SubmissionRefused(
                f"“{name}” is not a file you can submit for this exercise. You may submit: {listing}."
            )
        raw = content.encode("utf-8", errors="surrogatepass") if isinstance(content, str) else content
        if len(raw) > settings.SUBMISSION_MAX_FILE_BYTES:
            raise SubmissionRefused(
                f"{name} is {len(raw) // 1024:,} KiB; a file may be at most {settings.SUBMISSION_MAX_FILE_BYTES // 1024} KiB."
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionRefused(
                f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as UTF-8 and try again."
            ) from None
        if "\x00" in text:
            raise SubmissionRefused(
                f"{name} looks like a binary file (it contains NUL bytes); only text files are graded."
            )
        total += len(raw)
        # Browsers send textarea text with CRLF line ends; code is stored with LF.
        cleaned[str(path)] = text.replace("\r\n", "\n")
    if total > settings.SUBMISSION_MAX_TOTAL_BYTES:
        raise SubmissionRefused(
            f"Your files add up to {total // 1024:,} KiB; a submission may be at most {settings.SUBMISSION_MAX_TOTAL_BYTES // 1024} KiB."
        )
    starter = exercise.editable_starter()
    return {path: cleaned.get(path, starter[path]) for path in allowed}


def submission_create(*, user, exercise: Exercise, files: dict[str, str | bytes]) -> Submission:
    """Store a learner's files as a queued submission and queue it once committed."""
    cleaned = submission_files_clean(exercise=exercise, files=files)
    submission_throttle_check(user=user)
    with transaction.atomic():
        submission = Submission.objects.create(
            user=user, exercise=exercise, exercise_version=exercise.version, files=cleaned
        )
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.id))
    return submission


def submission_enqueue(*, submission_id: int) -> bool:
    """Hand the submission to the broker. If the broker is down the row stays queued and
    the sweeper sends it again later: a learner's submission is never lost to an outage."""
    from .tasks import grade_submission

    Submission.objects.filter(id=submission_id).update(enqueued_at=timezone.now())
    try:
        grade_submission.delay(submission_id)
    except Exception as exc:  # kombu and redis raise many kinds; all mean "not sent"
        log.warning("submission %s: could not reach the broker (%s); the sweeper will retry", submission_id, exc)
        return False
    return True


def submissions_sweep() -> dict[str, int]:
    """Send again what the queue lost: rows still queued long after they were enqueued
    (a message lost with a broker restart, or never sent) and rows left running past their
    lease (a worker died mid-run; the claim lets a new worker take them over)."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.SUBMISSION_SWEEP_AFTER_SECONDS)
    lease = now - timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    queued = list(
        Submission.objects.filter(Q(enqueued_at__lt=quiet) | Q(enqueued_at__isnull=True, created_at__lt=quiet))
        .filter(status=Status.QUEUED)
        .values_list("id", flat=True)
    )
    stuck = list(
        Submission.objects.filter(status=Status.RUNNING, started_at__lt=lease)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=quiet))
        .values_list("id", flat=True)
    )
    sent = sum(submission_enqueue(submission_id=sid) for sid in queued + stuck)
    if queued or stuck:
        log.warning("sweep: re-queued %s waiting and %s stuck submissions (%s sent)", len(queued), len(stuck), sent)
    return {"queued": len(queued), "stuck": len(stuck), "sent": sent}


def submission_claim(*, submission_id: int) -> bool:
    """Move the row from queued to running; False if another worker holds it or it is done.

    A row left ``running`` past its lease was abandoned by a dead worker and may be
    claimed again.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    claimed = Submission.objects.filter(
        Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=stale), id=submission_id
    ).update(status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def submission_record(*, submission_id: int, result: dict[str, Any], exercise_version: int | None = None) -> bool:
    """Write the final verdict once: only a running row takes it. The first row of the
    submission's verdict history is written in the same transaction.

    ``exercise_version`` is the version whose tests graded it (default: the version the
    learner submitted against).
    """
    passed, total = count_tests(result)
    with transaction.atomic():
        updated = Submission.objects.filter(id=submission_id, status=Status.RUNNING).update(
            status=result["status"],
            message=result.get("message", ""),
            result=result,
            finished_at=timezone.now(),
            tests_passed=passed,
            tests_total=total,
        )
        if updated:
            row = Submission.objects.values("exercise_id", "exercise_version").get(id=submission_id)
            _verdict_add(
                submission_id=submission_id,
                exercise_id=row["exercise_id"],
                result=result,
                exercise_version=exercise_version or row["exercise_version"],
            )
    if updated:
        log.info("submission %s: verdict %s recorded", submission_id, result["status"])
    return updated == 1


def _verdict_add(
    *,
    submission_id: int,
    exercise_id: int,
    result: dict[str, Any],
    exercise_version: int,
    regrade_id: int | None = None,
) -> Verdict:
    """A row of verdict history, and the failed tests of what is now the current verdict.
    Call inside the transaction that makes it current."""
    passed, total = count_tests(result)
    verdict = Verdict.objects.create(
        submission_id=submission_id,
        status=result["status"],
        message=result.get("message", ""),
        result=result,
        tests_passed=passed,
        tests_total=total,
        exercise_version=exercise_version,
        regrade_id=regrade_id,
    )
    FailedTest.objects.filter(submission_id=submission_id).delete()
    FailedTest.objects.bulk_create(
        FailedTest(submission_id=submission_id, exercise_id=exercise_id, name=str(test.get("name", ""))[:300])
        for test in result.get("tests") or []
        if test.get("status") != "pass"
    )
    return verdict


def submission_release(*, submission_id: int) -> None:
    """Give a claimed row back to the queue, for a retry."""
    Submission.objects.filter(id=submission_id, status=Status.RUNNING).update(status=Status.QUEUED)


def submission_lease_left(*, submission_id: int) -> float | None:
    """Seconds until a running row's lease runs out; None if it is not running."""
    row = Submission.objects.filter(id=submission_id, status=Status.RUNNING).values("started_at").first()
    if row is None or row["started_at"] is None:
        return None
    ends = row["started_at"] + timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    return max(0.0, (ends - timezone.now()).total_seconds())


def submission_grade(*, submission_id: int) -> str:
    """Claim, grade and record one submission. Returns what happened, for the log.

    Raises SandboxUnavailable (after releasing the row) when Docker cannot run it.
    """
    if not submission_claim(submission_id=submission_id):
        return "not claimed"
    submission = Submission.objects.select_related("exercise").get(id=submission_id)
    version = submission.exercise.version
    try:
        result = grading.grade(
            submission.exercise,
            submission.files,
            name=f"duet-sub-{submission.id}-{submission.attempts}",
            labels={"duet.submission": str(submission.id)},
        )
    except SandboxUnavailable:
        submission_release(submission_id=submission_id)
        raise
    recorded = submission_record(submission_id=submission_id, result=result, exercise_version=version)
    return result["status"] if recorded else "verdict already recorded"


def submission_fail(*, submission_id: int, message: str) -> bool:
    """Record an error verdict when grading cannot happen at all (after the retries)."""
    Submission.objects.filter(id=submission_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    return submission_record(
        submission_id=submission_id,
        result={"version": 2, "status": "error", "message": message, "tests": [], "app_log": "", "limit": None},
    )


# --- Review: comments and overrides ----------------------------------------------------


class ReviewRefused(ValueError):
    """A review action that cannot be done; the message says why, in plain words."""


def comment_create(*, submission_id: int, author, body: str) -> Comment:
    """A grader's comment, rendered once (sanitized markdown) for the learner's page."""
    body = body.strip()
    if not body:
        raise ReviewRefused("The comment is empty.")
    if len(body) > settings.REVIEW_COMMENT_MAX_CHARS:
        raise ReviewRefused(f"A comment may be at most {settings.REVIEW_COMMENT_MAX_CHARS:,} characters.")
    return Comment.objects.create(
        submission_id=submission_id, author=author, body=body, body_html=markdown.render(body)
    )


def verdict_override(*, submission_id: int, by, to_status: str, reason: str) -> VerdictOverride:
    """Set the verdict that counts, with a reason, and log who did it, when, from what.

    The graded verdict stays as it was, for the page to show beside the override.
    Overriding back to the graded verdict lifts the override (and is logged too).
    """
    labels = dict(VERDICT_CHOICES)
    reason = reason.strip()
    if to_status not in labels:
        raise ReviewRefused("Choose Passed, Failed or Error.")
    if not reason:
        raise ReviewRefused("Say why you override the verdict: the learner sees your reason.")
    with transaction.atomic():
        # Locked (PostgreSQL; SQLite's write transaction serialises) so two graders
        # overriding at once log the right "from".
        submission = Submission.objects.select_for_update().filter(id=submission_id).first()
        if submission is None:
            raise ReviewRefused("No such submission.")
        if not submission.is_final:
            raise ReviewRefused("This submission has no verdict yet: override it once it is graded.")
        from_status = submission.effective_status
        if to_status == from_status:
            raise ReviewRefused(f"The verdict is already {labels[to_status]}.")
        override = "" if to_status == submission.status else to_status
        Submission.objects.filter(id=submission_id).update(override_status=override)
        entry = VerdictOverride.objects.create(
            submission_id=submission_id, by=by, from_status=from_status, to_status=to_status, reason=reason
        )
    log.info("submission %s: verdict overridden %s → %s by %s", submission_id, from_status, to_status, by)
    return entry


# --- Regrades --------------------------------------------------------------------------

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
    """Hand one item to the broker. The first send is a compare-and-set on enqueued_at, so
    two pumps never send one item twice; the sweeper resends what the queue lost."""
    from .tasks import regrade_submission

    rows = RegradeItem.objects.filter(id=item_id, status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING])
    if not resend:
        rows = rows.filter(enqueued_at__isnull=True)
    if rows.update(enqueued_at=timezone.now()) != 1:
        return False
    try:
        regrade_submission.delay(item_id)
    except Exception as exc:  # kombu and redis raise many kinds; all mean "not sent"
        log.warning("regrade item %s: could not reach the broker (%s); the sweeper will retry", item_id, exc)
        return False
    return True


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
    return Regrade.objects.filter(id=regrade_id, finished_at__isnull=True).update(finished_at=timezone.now()) == 1


def regrade_item_claim(*, item_id: int) -> bool:
    """queued → running, or take over a running item whose lease ran out (dead worker)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    claimed = RegradeItem.objects.filter(
        Q(status=ItemStatus.QUEUED) | Q(status=ItemStatus.RUNNING, started_at__lt=stale), id=item_id
    ).update(status=ItemStatus.RUNNING, started_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def regrade_item_record(*, item_id: int, result: dict[str, Any], exercise_version: int) -> bool:
    """Record a regrade's verdict once: the item (running → done), the verdict row and the
    submission's current verdict change together, or not at all."""
    passed, total = count_tests(result)
    with transaction.atomic():
        if (
            RegradeItem.objects.filter(id=item_id, status=ItemStatus.RUNNING).update(
                status=ItemStatus.DONE, finished_at=timezone.now()
            )
            != 1
        ):
            return False
        item = RegradeItem.objects.select_related("submission").get(id=item_id)
        verdict = _verdict_add(
            submission_id=item.submission_id,
            exercise_id=item.submission.exercise_id,
            result=result,
            exercise_version=exercise_version,
            regrade_id=item.regrade_id,
        )
        # Only a graded row is regraded, and a graded row never goes back to the queue;
        # the filter says so to the database too.
        Submission.objects.filter(id=item.submission_id, status__in=Submission.FINAL).update(
            status=result["status"],
            message=result.get("message", ""),
            result=result,
            tests_passed=passed,
            tests_total=total,
        )
        RegradeItem.objects.filter(id=item_id).update(verdict=verdict)
    log.info("regrade item %s: submission %s regraded %s", item_id, item.submission_id, result["status"])
    return True


def regrade_item_release(*, item_id: int) -> None:
    """Give a claimed item back to the queue, for a retry."""
    RegradeItem.objects.filter(id=item_id, status=ItemStatus.RUNNING).update(status=ItemStatus.QUEUED)


def regrade_item_fail(*, item_id: int, message: str) -> bool:
    """The item could not be regraded (after the retries): the submission keeps its verdict."""
    updated = RegradeItem.objects.filter(id=item_id, status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING]).update(
        status=ItemStatus.FAILED, message=message, finished_at=timezone.now()
    )
    regrade_id = RegradeItem.objects.values_list("regrade_id", flat=True).filter(id=item_id).first()
    if regrade_id is not None:
        regrade_pump(regrade_id=regrade_id)
    return updated == 1


def regrade_item_lease_left(*, item_id: int) -> float | None:
    """Seconds until a running item's lease runs out; None if it is not running."""
    row = RegradeItem.objects.filter(id=item_id, status=ItemStatus.RUNNING).values("started_at").first()
    if row is None or row["started_at"] is None:
        return None
    ends = row["started_at"] + timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    return max(0.0, (ends - timezone.now()).total_seconds())


def _exercise_as_now(exercise_id: int) -> Exercise:
    """The exercise with its files read together with its version: if an edit lands while
    the files are read, read again, so the verdict names the version that graded it."""
    for _ in range(3):
        exercise = Exercise.objects.prefetch_related("files").get(id=exercise_id)
        if Exercise.objects.values_list("version", flat=True).get(id=exercise_id) == exercise.version:
            break
    return exercise


def regrade_item_grade(*, item_id: int) -> str:
    """Claim, grade with the exercise's current tests, record; then send the next item.
    Returns what happened, for the log. Raises SandboxUnavailable (after releasing)."""
    if not regrade_item_claim(item_id=item_id):
        return "not claimed"
    item = RegradeItem.objects.select_related("submission").get(id=item_id)
    exercise = _exercise_as_now(item.submission.exercise_id)
    try:
        result = grading.grade(
            exercise,
            item.submission.files,
            name=f"duet-regrade-{item.id}-{item.attempts}",
            labels={"duet.submission": str(item.submission_id), "duet.regrade": str(item.regrade_id)},
        )
    except SandboxUnavailable:
        regrade_item_release(item_id=item_id)
        raise
    recorded = regrade_item_record(item_id=item_id, result=result, exercise_version=exercise.version)
    regrade_pump(regrade_id=item.regrade_id)
    return result["status"] if recorded else "verdict already recorded"


def regrades_sweep() -> dict[str, int]:
    """What the queue lost, for regrades: items long queued or running past their lease
    are sent again, and every unfinished regrade gets its window refilled."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.SUBMISSION_SWEEP_AFTER_SECONDS)
    lease = now - timedelta(seconds=settings.SUBMISSION_LEASE_SECONDS)
    lost = list(
        RegradeItem.objects.filter(status=ItemStatus.QUEUED, enqueued_at__lt=quiet).values_list("id", flat=True)
    )
    stuck = list(
        RegradeItem.objects.filter(status=ItemStatus.RUNNING, started_at__lt=lease, enqueued_at__lt=quiet).values_list(
            "id", flat=True
        )
    )
    sent = sum(regrade_item_enqueue(item_id=item_id, resend=True) for item_id in lost + stuck)
    for regrade_id in Regrade.objects.filter(finished_at__isnull=True).values_list("id", flat=True):
        sent += regrade_pump(regrade_id=regrade_id)
    if lost or stuck:
        log.warning("sweep: re-sent %s waiting and %s stuck regrade items", len(lost), len(stuck))
    return {"queued": len(lost), "stuck": len(stuck), "sent": sent}
