"""Submissions: checking what a learner sends, claiming rows, recording verdicts.

The database row is the truth. A submission is created ``queued``; a worker claims it
with a filtered update (``queued`` → ``running``) and writes exactly one final verdict
with a compare-and-set, so a task delivered twice cannot grade or record twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lessons.models import Exercise

from . import grading
from .models import Submission
from .runner import SandboxUnavailable

log = logging.getLogger(__name__)
Status = Submission.Status


class SubmissionRefused(ValueError):
    """Learner input that cannot be graded; the message says why, in plain words."""


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
    with transaction.atomic():
        submission = Submission.objects.create(
            user=user, exercise=exercise, exercise_version=exercise.version, files=cleaned
        )
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.id))
    return submission


def submission_enqueue(*, submission_id: int) -> None:
    from .tasks import grade_submission

    grade_submission.delay(submission_id)


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


def submission_record(*, submission_id: int, result: dict[str, Any]) -> bool:
    """Write the final verdict once: only a running row takes it."""
    updated = Submission.objects.filter(id=submission_id, status=Status.RUNNING).update(
        status=result["status"], message=result.get("message", ""), result=result, finished_at=timezone.now()
    )
    return updated == 1


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
    recorded = submission_record(submission_id=submission_id, result=result)
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
