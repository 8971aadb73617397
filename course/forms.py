"""The gradebook's filters, read from its query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict

from lessons.models import Course, Exercise, Lesson

from .selectors import exercise_sort


class GradebookFilterForm(forms.Form):
    """The gradebook's query string. Bad values fall back to the defaults (a bookmarked
    link to a lesson since removed still opens the gradebook)."""

    STATUS_CHOICES = [
        ("", "Any status"),
        ("not_started", "Not started"),
        ("in_progress", "In progress"),
        ("passed", "Passed all"),
        ("pending", "Waiting for a verdict"),
    ]
    SORT_CHOICES = [
        ("name", "Name A–Z"),
        ("-name", "Name Z–A"),
        ("-passed", "Most passed"),
        ("passed", "Fewest passed"),
        ("-activity", "Latest activity"),
        ("activity", "Least recent activity"),
        ("-attempts", "Most attempts"),
    ]

    q = forms.CharField(label="Learner", required=False, max_length=150)
    lesson = forms.ModelChoiceField(queryset=Lesson.objects.none(), required=False, empty_label="All lessons")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)
    per_page = forms.TypedChoiceField(
        label="Per page", choices=[(n, n) for n in settings.GRADEBOOK_PAGE_SIZES], coerce=int, required=False
    )

    def __init__(self, data: QueryDict | None, *, course: Course) -> None:
        super().__init__(data)
        self.fields["lesson"].queryset = course.lessons.filter(exercises__published=True).distinct().order_by("number")
        self.fields["lesson"].to_field_name = "slug"
        self._offer_exercise_sort(data, course)

    def _offer_exercise_sort(self, data: QueryDict | None, course: Course) -> None:
        """A column header sorts by one exercise (``exercise-<id>``); the select offers that
        sort, both ways, while it is the one asked for, and only for this course's
        published exercises."""
        column = exercise_sort((data or {}).get("sort", ""))
        if column is None:
            return
        exercise = Exercise.objects.filter(course=course, published=True, pk=column[0]).only("slug").first()
        if exercise is None:
            return
        self.fields["sort"].choices = [
            *self.SORT_CHOICES,
            (f"exercise-{exercise.pk}", f"{exercise.slug}: weakest first"),
            (f"-exercise-{exercise.pk}", f"{exercise.slug}: strongest first"),
        ]

    def filters(self) -> dict[str, Any]:
        """The cleaned filters, each field that did not validate at its default."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q", "") if "q" not in self.errors else "",
            "lesson": cleaned.get("lesson") if "lesson" not in self.errors else None,
            "status": cleaned.get("status", "") if "status" not in self.errors else "",
            "sort": (cleaned.get("sort") if "sort" not in self.errors else "") or "name",
            "per_page": (cleaned.get("per_page") if "per_page" not in self.errors else None)
            or settings.GRADEBOOK_PAGE_SIZE,
        }
