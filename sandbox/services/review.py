"""The review of submissions: graders' comments and verdict overrides (with their audit
trail)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from lessons import markdown

from ..models import VERDICT_CHOICES, Comment, Submission, VerdictOverride
from .errors import ReviewRefused

log = logging.getLogger(__name__)


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
