"""Reads for the pages: a learner's attempts, their workspace (what goes in the editor), a submission's
review (history, comments, the attempt before it) and a regrade's progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects

from lessons.models import Exercise
from lessons.paths import (
    MAX_DEPTH,
    MAX_PATH_CHARS,
    RESERVED_FILES,
    RESERVED_PARTS,
    RESERVED_TOP,
    Editable,
    pattern_regex,
)

from .models import Comment, Draft, ExerciseValidation, Regrade, RegradeItem, Submission, Verdict, VerdictOverride


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
    # Fewer than the limit: these are all of them (most pages), else count the rest.
    total = len(rows) if len(rows) < limit else Submission.objects.filter(user=user, exercise=exercise).count()
    for offset, row in enumerate(rows):
        row.number = total - offset
    return rows


@dataclass
class Workspace:
    """What the exercise page's workspace holds for one learner.

    ``files`` are the editable files (path → text), ``readonly`` the rest of the starter,
    shown but not sent. ``source`` says where ``files`` came from: "posted" (a refused
    submission, shown again), "draft", "attempt" (one asked for with ``?from=``), "latest"
    (the last attempt) or "starter". ``confirm`` is an attempt asked for that was not
    loaded because the draft differs from it: the page asks first."""

    files: dict[str, str]
    readonly: dict[str, str]
    source: str
    draft: Draft | None = None
    attempt: Submission | None = None
    confirm: Submission | None = None
    rule: Editable = field(default_factory=lambda: Editable(()))

    @cached_property
    def entries(self) -> list[dict[str, Any]]:
        """Every file of the project for the page, editable ones first: its ``path``,
        ``text``, whether it is ``editable``, whether the learner may rename or delete it
        (``removable``: in an editable folder, not a listed file), and the ``anchor`` (an
        HTML id) of its box."""
        files = [(path, text, True) for path, text in self.files.items()]
        files += [(path, text, False) for path, text in self.readonly.items()]
        return [
            {
                "path": path,
                "text": text,
                "editable": editable,
                "removable": editable and path not in self.rule.files and self.rule.in_pattern(path),
                "anchor": f"file-{index}",
            }
            for index, (path, text, editable) in enumerate(files, start=1)
        ]

    @cached_property
    def rules(self) -> dict[str, Any]:
        """What the page's script needs to check a new file's name as the server will
        (``lessons.paths``, ``submission_files_clean``): the editable folders and globs,
        each also as a regular expression, and the bounds and reserved names."""
        return {
            "folders": list(self.rule.patterns),
            "patterns": [pattern_regex(entry) for entry in self.rule.patterns],
            "max_files": settings.SUBMISSION_MAX_FILES,
            "max_file_bytes": settings.SUBMISSION_MAX_FILE_BYTES,
            "max_total_bytes": settings.SUBMISSION_MAX_TOTAL_BYTES,
            "max_path_chars": MAX_PATH_CHARS,
            "max_depth": MAX_DEPTH,
            "reserved_files": sorted(RESERVED_FILES),
            "reserved_parts": sorted(RESERVED_PARTS),
            "reserved_reasons": {**RESERVED_FILES, **RESERVED_PARTS},
            "reserved_top": list(RESERVED_TOP),
        }

    @cached_property
    def tree(self) -> list[dict[str, Any]]:
        """The same files as a tree: folders first, then files, each by name."""
        return file_tree(self.entries)


def workspace_for(
    *, user, exercise: Exercise, from_id: str | None = None, posted: dict[str, str] | None = None
) -> Workspace:
    """The learner's workspace: the files posted, else their draft (unless an attempt is
    asked for and equals it or there is no draft), else the attempt asked for, else the
    latest, else the starter."""
    prefetch_related_objects([exercise], "files")  # the starter is read several times below
    readonly = exercise.readonly_files()
    rule = exercise.editable_rule
    draft = Draft.objects.filter(user=user, exercise=exercise).first()
    mine = Submission.objects.filter(user=user, exercise=exercise).only("id", "files", "created_at")
    if posted is not None:
        return Workspace(exercise.editable_files(posted), readonly, "posted", draft=draft, rule=rule)
    asked = mine.filter(id=int(from_id)).first() if from_id and from_id.isdigit() else None
    draft_files = exercise.editable_files(draft.files) if draft else None
    if asked is not None:
        asked_files = exercise.editable_files(asked.files)
        if draft_files is None or draft_files == asked_files:
            return Workspace(asked_files, readonly, "attempt", draft=draft, attempt=asked, rule=rule)
        return Workspace(draft_files, readonly, "draft", draft=draft, confirm=asked, rule=rule)
    if draft_files is not None:
        return Workspace(draft_files, readonly, "draft", draft=draft, rule=rule)
    latest = mine.order_by("-id").first()
    if latest is not None:
        return Workspace(exercise.editable_files(latest.files), readonly, "latest", attempt=latest, rule=rule)
    return Workspace(exercise.editable_starter(), readonly, "starter", rule=rule)


def file_tree(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    root: dict[str, Any] = {"children": {}}
    for entry in entries:
        node = root
        parts = entry["path"].split("/")
        # Folders are keyed "name/", files "name": a file and a folder of the same name
        # (an exercise may have both) stay two entries.
        for depth, part in enumerate(parts[:-1]):
            node = node["children"].setdefault(
                f"{part}/", {"name": part, "path": "/".join(parts[: depth + 1]), "folder": True, "children": {}}
            )
        node["children"][parts[-1]] = {**entry, "name": parts[-1], "folder": False}

    def ordered(node: dict[str, Any]) -> list[dict[str, Any]]:
        items = sorted(node["children"].values(), key=lambda item: (not item["folder"], item["name"]))
        return [{**item, "children": ordered(item)} if item["folder"] else item for item in items]

    return ordered(root)


def starter_workspace(exercise: Exercise) -> Workspace:
    """The workspace of a learner who has not started: what a preview shows."""
    prefetch_related_objects([exercise], "files")
    return Workspace(exercise.editable_starter(), exercise.readonly_files(), "starter", rule=exercise.editable_rule)


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
