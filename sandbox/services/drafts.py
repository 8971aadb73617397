"""Drafts: what a learner typed and has not submitted, kept on the server per learner and
exercise (``sandbox.models.Draft``). Saved with the same checks as a submission, so a
draft can always be submitted as it is."""

from __future__ import annotations

from django.db import transaction

from lessons.models import Exercise

from ..models import Draft, Submission
from .submissions import submission_files_clean


def draft_save(*, user, exercise: Exercise, files: dict[str, str]) -> Draft:
    """Keep ``files`` (path → text) as the learner's draft, replacing the one before;
    raises SubmissionRefused, in the submission's own words, for a name the exercise does
    not take, a file too large or text that is not UTF-8."""
    return _keep(user, exercise, submission_files_clean(exercise=exercise, files=files))


def _keep(user, exercise: Exercise, files: dict[str, str]) -> Draft:
    with transaction.atomic():
        draft, _ = Draft.objects.select_for_update().get_or_create(user=user, exercise=exercise)
        draft.files = files
        draft.save(update_fields=["files", "updated_at"])
    return draft


def draft_discard(*, user, exercise: Exercise) -> None:
    """Forget the learner's draft: the workspace then shows their latest attempt, or the
    starter."""
    Draft.objects.filter(user=user, exercise=exercise).delete()


def draft_from_attempt(*, user, exercise: Exercise, submission_id: int) -> Draft | None:
    """Make one of the learner's own attempts their draft ("open in editor", confirmed);
    None when it is not theirs or not of this exercise."""
    attempt = Submission.objects.filter(id=submission_id, user=user, exercise=exercise).only("files").first()
    if attempt is None:
        return None
    return _keep(user, exercise, exercise.editable_files(attempt.files))
