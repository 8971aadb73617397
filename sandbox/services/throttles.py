"""How much sandbox work one person, one address and everyone together may ask for:
limits counted from the rows themselves, so every web process agrees. Each refusal says
when to try again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Submission
from .errors import SubmissionRefused


class SubmissionThrottled(SubmissionRefused):
    """Too many submissions too fast; ``retry_after`` says when to try again (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# How soon to try again when too much is waiting: a small exercise grades in about a
# second, so a few seconds free a place; a full queue takes longer to drain.
PENDING_RETRY_AFTER = 5
BUSY_RETRY_AFTER = 30


def submission_throttle_check(*, user, address: str | None = None) -> None:
    """Per learner: at most SUBMISSION_RATE submissions in SUBMISSION_RATE_WINDOW seconds,
    and at most SUBMISSION_MAX_PENDING waiting for a verdict at once; then the sandbox's
    share per address and in all (``sandbox_pending_check``)."""
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
    pending = Submission.objects.filter(user=user, status__in=Submission.PENDING).count()
    if pending >= settings.SUBMISSION_MAX_PENDING:
        raise SubmissionThrottled(
            f"You already have {pending} submissions waiting for a verdict. "
            "Please wait for one to finish, then submit again; your code is still in the editor.",
            retry_after=PENDING_RETRY_AFTER,
        )
    sandbox_pending_check(address=address)


def sandbox_pending_check(*, address: str | None) -> None:
    """The sandbox work waiting for a verdict (queued or running submissions): at most
    SANDBOX_PENDING_PER_ADDRESS from one client address, since one person may hold many
    accounts, and SANDBOX_PENDING_TOTAL from everyone. Submissions only: regrades and
    validations are the course staff's own work, paced by REGRADE_IN_FLIGHT."""
    waiting = Submission.objects.filter(status__in=Submission.PENDING)
    if address is not None:
        from_address = waiting.filter(client_address=address).count()
        if from_address >= settings.SANDBOX_PENDING_PER_ADDRESS:
            raise SubmissionThrottled(
                f"{from_address} submissions from your network address are already waiting for a verdict, "
                f"the most Duet takes from one address at once. Please wait {PENDING_RETRY_AFTER} s and "
                "submit again; your code is still in the editor.",
                retry_after=PENDING_RETRY_AFTER,
            )
    total = waiting.count()
    if total >= settings.SANDBOX_PENDING_TOTAL:
        raise SubmissionThrottled(
            f"The grader is busy: {total} submissions are waiting for a verdict. Please submit again in "
            f"{BUSY_RETRY_AFTER} s; your code is still in the editor.",
            retry_after=BUSY_RETRY_AFTER,
        )
