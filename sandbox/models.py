"""Sandbox jobs and what they leave: submissions and their verdicts, regrades, exercise
validations. The row is the truth; the queue only carries ids.

Every job (a submission, a regrade item, a validation) shares one shape, ``Job``, and one
lifecycle (``sandbox.services.jobs``): created ``queued``, claimed ``running`` by a
worker with a filtered update, ended once with a compare-and-set.

Every grading of a submission, the first and each regrade, is one ``Verdict`` row, and
the result is stored there only; ``Submission.verdict`` points at the current one. A
grader may override the verdict (``override_status``, with a ``VerdictOverride`` audit
row); progress and the gradebook count the overridden verdict, and pages show both.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

VERDICT_CHOICES = [("pass", "Passed"), ("fail", "Failed"), ("error", "Error")]


def count_tests(result: dict[str, Any] | None) -> tuple[int | None, int | None]:
    """(tests passed, tests run) of a result; (None, None) when no test ran."""
    tests = (result or {}).get("tests") or []
    if not tests:
        return None, None
    return sum(1 for test in tests if test.get("status") == "pass"), len(tests)


def passed_q(prefix: str = "") -> Q:
    """Submissions that count as passed: graded pass and not overridden, or overridden to
    pass. ``prefix`` reaches them through a relation ("submissions__")."""
    return Q(**{f"{prefix}override_status": "pass"}) | Q(**{f"{prefix}override_status": "", f"{prefix}status": "pass"})


class Job(models.Model):
    """The fields the lifecycle reads and writes; each kind adds its own ``status`` (whose
    first two states are always ``queued`` and ``running``) and what it records."""

    QUEUED = "queued"
    RUNNING = "running"

    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How often a worker claimed it; at the cap it ends in an error."
    )
    # When a message for it was last handed to the broker; the sweeper re-sends old ones.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Submission(Job):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PASS = "pass", "Passed"
        FAIL = "fail", "Failed"
        ERROR = "error", "Error"

    FINAL = (Status.PASS, Status.FAIL, Status.ERROR)
    PENDING = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="submissions")
    exercise_version = models.PositiveIntegerField()
    files = models.JSONField(help_text="Path → text of the learner's editable files.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # The current verdict (the latest grading); its row holds the message and the result.
    verdict = models.ForeignKey(
        "Verdict", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A grader's verdict over the graded one; blank when there is none. The graded verdict
    # stays in status/message/result, so the page can say "graded …, overridden to …".
    override_status = models.CharField(max_length=10, choices=VERDICT_CHOICES, blank=True, default="")
    # Counted from result["tests"] when a verdict is recorded, so the gradebook can take
    # the best result with one aggregate instead of reading every result's JSON.
    tests_passed = models.PositiveSmallIntegerField(null=True, blank=True)
    tests_total = models.PositiveSmallIntegerField(null=True, blank=True)
    # Where it was sent from, so the work one address may leave waiting can be capped
    # (sandbox.services.throttles); null when it came from no web request.
    client_address = models.GenericIPAddressField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "exercise", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.exercise} by {self.user} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("sandbox:submission", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def result(self) -> dict[str, Any] | None:
        """The current verdict's result: tests, app log, timings (None until graded)."""
        return self.verdict.result if self.verdict_id else None

    @property
    def message(self) -> str:
        return self.verdict.message if self.verdict_id else ""

    def number_for_learner(self) -> int:
        """1 for the learner's first attempt at this exercise, 2 for the second…"""
        return Submission.objects.filter(user_id=self.user_id, exercise_id=self.exercise_id, id__lte=self.id).count()

    @cached_property
    def reveals_variants(self) -> bool:
        """Whether this attempt's result says what each buggy version that the learner's
        tests missed does wrong (a tests exercise): once they have passed the exercise,
        or from its ``reveal_missed_after``-th attempt on."""
        mine = Submission.objects.filter(user_id=self.user_id, exercise_id=self.exercise_id)
        if mine.filter(Q(status=self.Status.PASS, override_status="") | Q(override_status=self.Status.PASS)).exists():
            return True
        after = self.exercise.reveal_missed_after
        return after is not None and self.number_for_learner() >= after

    @property
    def effective_status(self) -> str:
        """The verdict that counts: a grader's override, else the graded one."""
        return self.override_status or self.status

    def get_effective_status_display(self) -> str:
        return dict(self.Status.choices)[self.effective_status]

    def current_override(self) -> VerdictOverride | None:
        """The override in force, if any: the last one logged, while the verdict is overridden."""
        if not self.override_status:
            return None
        return self.overrides.select_related("by").order_by("-created_at", "-id").first()


class Verdict(models.Model):
    """One grading of a submission: the first, when it was submitted, and one per regrade.
    The submission's own fields hold the latest; these rows keep every one."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="verdicts")
    status = models.CharField(max_length=10, choices=VERDICT_CHOICES)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    tests_passed = models.PositiveSmallIntegerField(null=True, blank=True)
    tests_total = models.PositiveSmallIntegerField(null=True, blank=True)
    # The exercise version whose tests gave this verdict.
    exercise_version = models.PositiveIntegerField()
    # Set for a regrade's verdict; null for the grading on submission.
    regrade = models.ForeignKey("Regrade", null=True, blank=True, on_delete=models.SET_NULL, related_name="verdicts")
    # The Celery worker (its node name) whose sandbox gave it; blank for an error the
    # sweeper or the web recorded.
    worker = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # However often a task is delivered, a regrade gives a submission one verdict.
            models.UniqueConstraint(
                fields=["submission", "regrade"], condition=Q(regrade__isnull=False), name="one_verdict_per_regrade"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.status} (v{self.exercise_version})"

    def get_status_display(self) -> str:
        return dict(VERDICT_CHOICES)[self.status]


class VerdictOverride(models.Model):
    """The audit log of overrides: who changed which verdict, when, from what, to what, why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="overrides")
    # PROTECT: an audit entry must keep saying who made it.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdict_overrides")
    from_status = models.CharField(max_length=10, choices=VERDICT_CHOICES)
    to_status = models.CharField(max_length=10, choices=VERDICT_CHOICES)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_status} → {self.to_status} by {self.by_id}"

    def get_from_status_display(self) -> str:
        return dict(VERDICT_CHOICES)[self.from_status]

    def get_to_status_display(self) -> str:
        return dict(VERDICT_CHOICES)[self.to_status]


class Comment(models.Model):
    """A grader's or instructor's feedback on a submission, shown to its learner."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="submission_comments"
    )
    body = models.TextField(help_text="Markdown.")
    # Rendered and sanitized once, when written (lessons.markdown.render).
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.submission_id} by {self.author_id}"


class FailedTest(models.Model):
    """A test that failed in a submission's current verdict, one row each, so the database
    can count which tests fail most. Replaced whenever the current verdict changes."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="failed_tests")
    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["exercise", "name"])]

    def __str__(self) -> str:
        return self.name


class Regrade(models.Model):
    """Every graded submission of an exercise run again (after its tests changed). Each
    submission is one RegradeItem, graded through the queue a few at a time."""

    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="regrades")
    # The exercise's version when the regrade was asked for; each verdict records its own.
    version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    total = models.PositiveIntegerField(default=0)
    # Submissions still waiting for their first verdict: left alone, they are graded with
    # the current tests anyway.
    skipped_pending = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two regrades of one exercise at once would race for the same submissions.
            models.UniqueConstraint(
                fields=["exercise"], condition=Q(finished_at__isnull=True), name="one_running_regrade_per_exercise"
            ),
        ]

    def __str__(self) -> str:
        return f"Regrade of {self.exercise} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("sandbox:regrade", args=[self.pk])


class RegradeItem(Job):
    """One submission in a regrade. Claimed and recorded like a submission (queued →
    running → done, with compare-and-set updates), but in its own row, so a regrade never
    touches the submission's own queue state."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Regraded"
        FAILED = "failed", "Could not be regraded"

    regrade = models.ForeignKey(Regrade, on_delete=models.CASCADE, related_name="items")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="regrade_items")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    previous_status = models.CharField(max_length=10, choices=VERDICT_CHOICES)
    verdict = models.OneToOneField(Verdict, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["regrade", "submission"], name="regrade_item_once")]
        indexes = [models.Index(fields=["regrade", "status"])]

    def __str__(self) -> str:
        return f"{self.regrade_id}/{self.submission_id}: {self.status}"


class ExerciseValidation(Job):
    """One "Validate" run: the exercise's solution (must pass), its starter (must not)
    and its wrong variants (must not) and alternatives (must), graded in the sandbox
    through the queue, for the version current at the time."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        VALID = "valid", "Valid"
        INVALID = "invalid", "Invalid"
        ERROR = "error", "Error"

    PENDING = (Status.QUEUED, Status.RUNNING)

    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="validations")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    solution_result = models.JSONField(null=True, blank=True)
    starter_result = models.JSONField(null=True, blank=True)
    # Each wrong variant (must not pass) and alternative solution (must pass), by
    # "variant:<slug>" / "alternative:<slug>": {"description": …, "result": …}.
    other_results = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.exercise} v{self.version}: {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status not in self.PENDING


class Draft(models.Model):
    """What a learner has typed for an exercise and not yet submitted: the whole map of
    their files (path → text), saved from the workspace as they type, so that nothing is
    lost on a reload, a crash or a change of device. One per learner and exercise; a
    submission of the same files ends it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="drafts")
    files = models.JSONField(default=dict, help_text="Path → text of the files in the learner's workspace.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise"], name="one_draft_per_learner_exercise")]

    def __str__(self) -> str:
        return f"Draft of {self.exercise_id} by {self.user_id}"
