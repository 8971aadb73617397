"""The course as a whole: who takes part in which course, and in what role."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Enrollment(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        INSTRUCTOR = "instructor", "Instructor"
        GRADER = "grader", "Grader"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("lessons.Course", on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEARNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")]

    def __str__(self) -> str:
        return f"{self.user} in {self.course} as {self.role}"


def role_in(user, course) -> str | None:
    """The user's role in the course, or None."""
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).values_list("role", flat=True).first()


def can_review(user, course) -> bool:
    """Staff, and the course's instructors and graders, may see every learner's work."""
    if not user.is_authenticated:
        return False
    return user.is_staff or role_in(user, course) in (Enrollment.Role.INSTRUCTOR, Enrollment.Role.GRADER)


def can_author(user, course) -> bool:
    """Staff, and the course's instructors, may edit its lessons and exercises."""
    if not user.is_authenticated:
        return False
    return user.is_staff or role_in(user, course) == Enrollment.Role.INSTRUCTOR
