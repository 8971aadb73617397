"""How much sandbox work one person may ask for: limits counted from the rows
themselves, so every web process agrees. Each refusal says when to try again."""

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
    pending = Submission.objects.filter(user=user, status__in=Submission.PENDING).count()
    if pending >= settings.SUBMISSION_MAX_PENDING:
        raise SubmissionThrottled(
            f"You already have {pending} submissions waiting for a verdict. "
            "Please wait for one to finish, then submit again; your code is still in the editor.",
            retry_after=5,
        )
