"""Submissions and their verdicts. The row is the truth; the queue only carries ids."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Submission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PASS = "pass", "Passed"
        FAIL = "fail", "Failed"
        ERROR = "error", "Error"

    FINAL = (Status.PASS, Status.FAIL, Status.ERROR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey("lessons.Exercise", on_delete=models.CASCADE, related_name="submissions")
    exercise_version = models.PositiveIntegerField()
    files = models.JSONField(help_text="Path → text of the learner's editable files.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True, help_text="Tests, app log and timings.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How often a worker claimed it.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

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

    def number_for_learner(self) -> int:
        """1 for the learner's first attempt at this exercise, 2 for the second…"""
        return Submission.objects.filter(user_id=self.user_id, exercise_id=self.exercise_id, id__lte=self.id).count()
