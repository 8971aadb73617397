"""The sign-up form, and the gradebook's filters, read from its query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import QueryDict

from lessons.models import Course, Exercise, Lesson

from .selectors import exercise_sort


class AsciiUsernameField(UsernameField):
    """A username as typed: ASCII letters, digits and ``_ . -`` only. Unlike Django's field
    it does not fold to NFKC first, so a fullwidth "Ｌearner" is refused, not quietly made
    "Learner"; no two names in the gradebook can look alike."""

    default_validators = [
        RegexValidator(
            r"\A[A-Za-z0-9_.-]+\Z",
            message="Use only the letters a–z and A–Z, the digits 0–9, and _\u00a0.\u00a0- (no spaces or accents).",
        )
    ]

    def to_python(self, value: Any) -> str:
        return forms.CharField.to_python(self, value)


class SignupForm(UserCreationForm):
    """Sign-up. A name that differs from a taken one only in case is taken too: the
    gradebook must never show "Learner" beside "learner".

    Logging in stays case-sensitive, as Django's is: django-axes counts wrong passwords
    per username as typed, so folding case there would give a guesser a fresh allowance
    for every spelling of a name; and accounts made before this rule may differ only in
    case, which a case-blind login could not tell apart."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)
        field_classes = {"username": AsciiUsernameField}
        help_texts = {"username": "Up to 150 characters: letters a–z and A–Z, digits 0–9, and _\u00a0.\u00a0-"}

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self._meta.model.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                "That username is taken (names that differ only in capitals count as the same). Pick another."
            )
        return username


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
