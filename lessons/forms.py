"""Forms for authoring in the browser. They check what an instructor types as strictly as
the content import checks a folder: the same path rules, sizes and site limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from markdownx.widgets import MarkdownxWidget

from course.models import Enrollment

from .authoring import FileKey
from .course_folder import MAX_CONTENT_FILE_BYTES, SLUG, setup_commands
from .images import ImageRefused, image_check
from .models import LIMIT_NAMES, Course, Exercise, ExerciseFile, Lesson
from .paths import Editable, entry_problem, path_problem

SLUG_MESSAGE = "Use lowercase letters, digits and hyphens, starting with a letter or digit (it names a folder)."
# How the exercise form labels each of LIMIT_NAMES. Which limits there are, whole or
# fractional, and their bounds, come from the site's defaults and maxima in settings.
LIMIT_LABELS = {
    "memory_mb": "Memory (MiB)",
    "cpus": "CPUs",
    "pids": "Processes",
    "wall_seconds": "Wall time (s)",
    "output_bytes": "Output per stream (bytes)",
}


def clean_slug(value: str) -> str:
    if not SLUG.match(value):
        raise forms.ValidationError(SLUG_MESSAGE)
    return value


def clean_file_path(value: str) -> str:
    """A path inside the exercise: relative, no "..", no odd characters (``lessons.paths``)."""
    value = value.strip()
    if problem := path_problem(value):
        raise forms.ValidationError(problem)
    return value


def clean_editable_entry(value: str) -> str:
    """A file the learner edits, or a folder (``blog/``) or glob (``blog/**``) of them."""
    value = value.strip()
    if problem := entry_problem(value):
        raise forms.ValidationError(problem)
    return value


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def markdown_text(value: str) -> str:
    """Markdown as the content folder keeps it: LF line ends (browsers send CRLF) and a
    final newline, so an export writes the file git would hold."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value if not value or value.endswith("\n") else value + "\n"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Courses, people, lessons ---------------------------------------------------------


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "summary", "body", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2}), "body": MarkdownxWidget()}
        help_texts = {"published": "Learners see the course only when it is published."}

    def clean_body(self) -> str:
        return markdown_text(self.cleaned_data["body"])

    def clean_summary(self) -> str:
        return self.cleaned_data["summary"].replace("\r\n", "\n")


class CourseCreateForm(CourseForm):
    class Meta(CourseForm.Meta):
        fields = ["title", "slug", "summary", "body", "published"]
        help_texts = {**CourseForm.Meta.help_texts, "slug": "Its address and folder name; it cannot change later."}

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Enrollment.Role.choices, initial=Enrollment.Role.LEARNER)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"No one has the username “{username}”: they need to sign up first.")
        return user


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["title", "slug", "number", "body", "published"]
        widgets = {"body": MarkdownxWidget()}
        help_texts = {
            "number": "Its place in the course; with the slug it names the folder (NN-slug).",
            "published": "Learners see the lesson only when it is published.",
        }

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_body(self) -> str:
        return markdown_text(self.cleaned_data["body"])

    def clean_slug(self) -> str:
        slug = clean_slug(self.cleaned_data["slug"])
        if Lesson.objects.filter(course=self.course, slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another lesson of this course is called “{slug}”.")
        return slug


# --- Exercises ------------------------------------------------------------------------


class ExerciseForm(forms.ModelForm):
    """Everything about an exercise but its files (see ExerciseFileFormSet)."""

    editable_paths = forms.CharField(
        label="Editable files",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=(
            "One per line: a file the learner edits and submits (todos/views.py), or a folder "
            "(blog/) or glob (blog/**, todos/templates/*.html) where they may also add, rename and "
            "delete files. Every solution file is covered by one."
        ),
    )
    setup_lines = forms.CharField(
        label="Setup commands",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=(
            "One command per line, run in order in the app's folder before it is served (for Django, after "
            "migrate), for example flask --app blog init-db or python manage.py loaddata todos."
        ),
    )
    hint_lines = forms.CharField(
        label="Hints",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One hint per line, vaguest first; learners reveal them one at a time.",
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Exercise
        fields = [
            "lesson",
            "title",
            "slug",
            "number",
            "kind",
            "framework",
            "entrypoint",
            "reveal_missed_after",
            "instructions",
        ]
        widgets = {"instructions": MarkdownxWidget()}
        help_texts = {
            "slug": "Its address and folder name; fixed once learners have submitted.",
            "number": "Its place among the lesson's exercises.",
            "kind": (
                "Write the tests: the learner's tests must pass on the app (files of kind App under test) "
                "and fail on each wrong variant."
            ),
            "reveal_missed_after": (
                "Write the tests only: from this attempt on, say what each buggy version the learner's tests "
                "missed does wrong (else only once they have passed). Empty: only once passed."
            ),
        }

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["lesson"].queryset = course.lessons.all()
        self.fields["lesson"].empty_label = None
        maxima, defaults = settings.SANDBOX_MAX_LIMITS, settings.SANDBOX_DEFAULT_LIMITS
        for key in LIMIT_NAMES:
            field_class = forms.IntegerField if isinstance(defaults[key], int) else forms.FloatField
            self.fields[key] = field_class(
                label=LIMIT_LABELS[key],
                required=False,
                min_value=1 if field_class is forms.IntegerField else 0.1,
                max_value=maxima[key],
                help_text=f"Site default {_number(defaults[key])}, at most {_number(maxima[key])}. Empty: the default.",
                error_messages={"max_value": f"The site allows at most {_number(maxima[key])} here."},
            )
        self.fields["kind"].required = False
        exercise = self.instance
        if exercise.pk:
            self.initial.setdefault("editable_paths", "\n".join(exercise.editable))
            self.initial.setdefault("hint_lines", "\n".join(exercise.hints))
            self.initial.setdefault("setup_lines", "\n".join(exercise.setup))
            self.initial.setdefault("based_on_version", exercise.version)
            for key in LIMIT_NAMES:
                self.initial.setdefault(key, (exercise.limits or {}).get(key))
            if exercise.submissions.exists():
                self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug = clean_slug(self.cleaned_data["slug"])
        if Exercise.objects.filter(course=self.course, slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another exercise of this course is called “{slug}”.")
        return slug

    def clean_instructions(self) -> str:
        return markdown_text(self.cleaned_data["instructions"])

    def clean_editable_paths(self) -> list[str]:
        paths = [clean_editable_entry(line) for line in _lines(self.cleaned_data["editable_paths"])]
        if not paths:
            raise forms.ValidationError("List at least one file the learner edits.")
        if len(set(paths)) != len(paths):
            raise forms.ValidationError("A path is listed twice.")
        return paths

    def clean_setup_lines(self) -> list[str]:
        return setup_commands(_lines(self.cleaned_data["setup_lines"]), forms.ValidationError)

    def clean_hint_lines(self) -> list[str]:
        return _lines(self.cleaned_data["hint_lines"])

    def clean_kind(self) -> str:
        # Not sent (a form of before there were kinds): the exercise stays what it is.
        return self.cleaned_data.get("kind") or self.instance.kind or Exercise.Kind.APP

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reveal_missed_after") is not None and data.get("kind") != Exercise.Kind.TESTS:
            self.add_error(
                "reveal_missed_after", "Only an exercise where the learner writes the tests has buggy versions."
            )
        return data

    def exercise_data(self) -> dict[str, Any]:
        """The cleaned values, as the model stores them."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        limits = {}
        for key in LIMIT_NAMES:
            value = self.cleaned_data.get(key)
            if value is not None:
                # 5.0 s is stored (and exported) as 5, as it would be written by hand.
                limits[key] = int(value) if float(value).is_integer() else value
        data.update(
            editable=self.cleaned_data["editable_paths"],
            setup=self.cleaned_data["setup_lines"],
            hints=self.cleaned_data["hint_lines"],
            limits=limits,
        )
        return data


class ExerciseFileForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Kind…"), *ExerciseFile.Kind.choices], widget=forms.Select(attrs={"aria-label": "Kind of file"})
    )
    path = forms.CharField(
        max_length=255,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "file-path", "aria-label": "Path"}),
    )
    # strip=False: a file's leading and trailing whitespace is part of it.
    content = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code-editor"}),
        error_messages={
            "null_characters_not_allowed": "This looks like a binary file (it contains NUL bytes): only text files."
        },
    )

    def clean_path(self) -> str:
        return clean_file_path(self.cleaned_data["path"])

    def clean_content(self) -> str:
        # Browsers send textarea text with CRLF line ends; files are stored with LF.
        text = self.cleaned_data["content"].replace("\r\n", "\n")
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_CONTENT_FILE_BYTES:
            raise forms.ValidationError(
                f"This file is {size // 1024:,} KiB; a file may be at most {MAX_CONTENT_FILE_BYTES // 1024} KiB."
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise forms.ValidationError("This file is not valid UTF-8 text.") from None
        return text


class BaseExerciseFileFormSet(forms.BaseFormSet):
    """The starter, solution and test files, as one list (add and remove freely)."""

    def __init__(self, *args: Any, editable: list[str] | None = None, kind: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "files")
        super().__init__(*args, **kwargs)
        self.editable = editable
        self.kind = kind

    def kept_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[FileKey] = set()
        total = 0
        for form in self.kept_forms():
            key = (form.cleaned_data["kind"], form.cleaned_data["path"])
            if key in seen:
                raise forms.ValidationError(f"There are two {key[0]} files called {key[1]}.")
            seen.add(key)
            total += len(form.cleaned_data["content"].encode("utf-8"))
        kinds = {kind for kind, _ in seen}
        # Compared as plain strings: a TextChoices member does not hash like its value.
        if self.kind == Exercise.Kind.TESTS:
            if ExerciseFile.Kind.TEST.value in kinds:
                raise forms.ValidationError("When the learner writes the tests, there are no hidden test files.")
            if ExerciseFile.Kind.APP.value not in kinds:
                raise forms.ValidationError("The learner's tests need the app they test: files of kind App under test.")
            variant_docs = [
                path for kind, path in seen if kind == ExerciseFile.Kind.VARIANT and path.endswith("/variant.md")
            ]
            if not variant_docs:
                raise forms.ValidationError(
                    "The learner's tests need buggy versions to catch: a Wrong variant file <slug>/variant.md "
                    "(front matter: description) and the app files it changes, <slug>/<path>."
                )
        elif ExerciseFile.Kind.TEST.value not in kinds:
            raise forms.ValidationError("An exercise needs at least one test file.")
        if ExerciseFile.Kind.SOLUTION.value not in kinds:
            raise forms.ValidationError("An exercise needs its reference solution: at least one solution file.")
        limit = settings.AUTHORING_MAX_EXERCISE_BYTES
        if total > limit:
            raise forms.ValidationError(
                f"The files add up to {total // 1024:,} KiB; an exercise's files may add up to {limit // 1024} KiB."
            )
        if self.editable is not None:
            rule = Editable.of(self.editable)
            stray = sorted(path for kind, path in seen if kind == ExerciseFile.Kind.SOLUTION and not rule.covers(path))
            if stray:
                raise forms.ValidationError(
                    f"The solution file {stray[0]} is not listed in “Editable files”: a solution may only "
                    "contain files the learner edits."
                )

    def exercise_files(self) -> dict[FileKey, str]:
        return {(f.cleaned_data["kind"], f.cleaned_data["path"]): f.cleaned_data["content"] for f in self.kept_forms()}


ExerciseFileFormSet = forms.formset_factory(
    ExerciseFileForm, formset=BaseExerciseFileFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)

KIND_ORDER = {kind.value: order for order, kind in enumerate(ExerciseFile.Kind)}


def file_initial(files: dict[FileKey, str]) -> list[dict[str, str]]:
    """Initial rows for the formset: starter, then solution, then tests, by path."""
    rows = sorted(files.items(), key=lambda item: (KIND_ORDER.get(item[0][0], 9), item[0][1]))
    return [{"kind": kind, "path": path, "content": text} for (kind, path), text in rows]


# --- Images ---------------------------------------------------------------------------


class ImageUploadForm(forms.Form):
    """markdownx posts the file as ``image``; what it is, Pillow decides, not the browser."""

    image = forms.FileField(error_messages={"required": "Choose an image to upload."})

    def clean_image(self) -> bytes:
        upload = self.cleaned_data["image"]
        limit = settings.LESSON_IMAGE_MAX_BYTES
        # Read one byte past the limit: enough to know it is too big, never the whole file.
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise forms.ValidationError(
                f"The image is {upload.size / 2**20:.1f} MiB; an image may be at most {limit / 2**20:.0f} MiB."
            )
        try:
            image_check(data)
        except ImageRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return data
