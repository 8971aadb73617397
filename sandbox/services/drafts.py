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
    draft, _ = Draft.objects.update_or_create(user=user, exercise=exercise, defaults={"files": files})
    return draft


def draft_reset(*, user, exercise: Exercise) -> Draft:
    """Reset to starter: the starter's editable files become the learner's draft (kept
    as the exercise has them, whatever their size: the learner did not write them)."""
    return _keep(user, exercise, exercise.editable_starter())


def draft_discard(*, user, exercise: Exercise, submitted: dict[str, str]) -> None:
    """A submission of ``submitted`` ends the learner's draft, if the draft holds exactly
    those files (the workspace then opens on the attempt); one saved while the submission
    was on its way is newer, and is kept."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(user=user, exercise=exercise).first()
        if draft is not None and exercise.editable_files(draft.files) == submitted:
            draft.delete()


def draft_from_attempt(*, user, exercise: Exercise, submission_id: int) -> Draft | None:
    """Make one of the learner's own attempts their draft ("open in editor", confirmed);
    None when it is not theirs or not of this exercise."""
    attempt = Submission.objects.filter(id=submission_id, user=user, exercise=exercise).only("files").first()
    if attempt is None:
        return None
    return _keep(user, exercise, exercise.editable_files(attempt.files))
