"""Reads for the pages: a learner's attempts and what goes in the editor."""

from __future__ import annotations

from lessons.models import Exercise

from .models import Submission


def attempts_for(*, user, exercise: Exercise, limit: int = 50) -> list[Submission]:
    rows = list(
        Submission.objects.filter(user=user, exercise=exercise)
        .only("id", "status", "message", "created_at", "finished_at", "exercise_id", "user_id", "exercise_version")
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
    starter = exercise.editable_starter()
    if source is None:
        return starter, None
    return {path: source.files.get(path, starter[path]) for path in exercise.editable}, source
