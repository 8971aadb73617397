"""Reads for the pages: a learner's attempts, what goes in the editor, a submission's
review (history, comments, the attempt before it) and a regrade's progress."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from lessons.models import Exercise

from .models import Comment, ExerciseValidation, Regrade, RegradeItem, Submission, Verdict, VerdictOverride


def attempts_for(*, user, exercise: Exercise, limit: int = 50) -> list[Submission]:
    rows = list(
        Submission.objects.filter(user=user, exercise=exercise)
        .select_related("verdict")
        .only(
            "id",
            "status",
            "override_status",
            "verdict__message",
            "created_at",
            "finished_at",
            "exercise_id",
            "user_id",
            "exercise_version",
        )
        .order_by("-id")[:limit]
    )
    total = Submission.objects.filter(user=user, exercise=exercise).count()
    for offset, row in enumerate(rows):
        row.number = total - offset
    return rows


def editor_files(*, user, exercise: Exercise, from_id: str | None) -> tuple[dict[str, str], Submission | None]:
    """The files to put in the editor: an attempt asked for, else the latest, else the starter."""
    mine = Submission.objects.filter(user=user, exercise=exercise).only("id", "files")
    source = None
    if from_id and from_id.isdigit():
        source = mine.filter(id=int(from_id)).first()
    if source is None:
        source = mine.order_by("-id").first()
    return exercise.editable_files(source.files if source else {}), source


def submission_previous(submission: Submission) -> Submission | None:
    """The same learner's attempt at the same exercise just before this one."""
    return (
        Submission.objects.filter(user_id=submission.user_id, exercise_id=submission.exercise_id, id__lt=submission.id)
        .only("id", "files", "created_at", "user_id", "exercise_id")
        .order_by("-id")
        .first()
    )


def submission_history(submission: Submission) -> list[Verdict | VerdictOverride]:
    """Every grading and every override of the submission, oldest first."""
    verdicts = list(submission.verdicts.select_related("regrade__requested_by").defer("result"))
    overrides = list(submission.overrides.select_related("by"))
    return sorted(verdicts + overrides, key=lambda entry: (entry.created_at, entry.id))


def submission_comments(submission: Submission) -> list[Comment]:
    return list(submission.comments.select_related("author"))


def regrade_progress(regrade: Regrade) -> dict[str, Any]:
    """Counts for the progress bar, from one aggregate over the regrade's items."""
    Item = RegradeItem.Status
    counts = regrade.items.aggregate(
        done=Count("id", filter=Q(status=Item.DONE)),
        failed=Count("id", filter=Q(status=Item.FAILED)),
        running=Count("id", filter=Q(status=Item.RUNNING)),
        changed=Count("id", filter=Q(status=Item.DONE) & ~Q(verdict__status=F("previous_status"))),
    )
    finished = counts["done"] + counts["failed"]
    return {
        "id": regrade.id,
        "total": regrade.total,
        **counts,
        "finished": finished,
        "percent": round(100 * finished / regrade.total) if regrade.total else 100,
        "complete": regrade.finished_at is not None,
    }


def regrade_changes(regrade: Regrade, limit: int = 200) -> list[RegradeItem]:
    """The items whose verdict the regrade changed, or could not regrade, first ones first."""
    Item = RegradeItem.Status
    return list(
        regrade.items.filter(
            Q(status=Item.FAILED) | (Q(status=Item.DONE) & ~Q(verdict__status=F("previous_status")))
        ).select_related("submission__user", "verdict")[:limit]
    )


def with_last_validation(exercises: QuerySet[Exercise]) -> QuerySet[Exercise]:
    """The exercises, each with its last validation's status and version
    (``last_validation``, ``last_validation_version``; None when never validated)."""
    last = ExerciseValidation.objects.filter(exercise=OuterRef("pk")).order_by("-created_at", "-id")
    return exercises.annotate(
        last_validation=Subquery(last.values("status")[:1]),
        last_validation_version=Subquery(last.values("version")[:1]),
    )
