"""Content: courses, lessons and exercises, as instructors write them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .paths import Editable

# The fields that decide how an exercise is graded: a change to any of them (or to its
# files) makes a new version of the exercise, whether imported or edited in the browser.
GRADED_BY = ("kind", "framework", "entrypoint", "editable", "limits", "setup")

# The sandbox limits an exercise may set, in the order the site lists them. They are
# named once, by the site's defaults in course/settings.py (each is also a field of
# sandbox.runner.Limits, which a test checks).
LIMIT_NAMES = tuple(settings.SANDBOX_DEFAULT_LIMITS)


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown shown on the course page.")
    body_html = models.TextField(blank=True, editable=False)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The front matter exactly as last imported, so that an export of unchanged content
    # gives back the same bytes; rewritten from the fields when they change.
    front_matter = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:course", args=[self.slug])


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField()
    number = models.PositiveIntegerField(help_text="Order in the course, from the folder's NN- prefix.")
    folder = models.CharField(max_length=200, help_text="Folder name in the content tree.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    published = models.BooleanField(default=True)
    # The front matter exactly as last imported, so that an export of unchanged content
    # gives back the same bytes; rewritten from the fields when they change.
    front_matter = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["course", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique_in_course")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lessons:lesson", args=[self.course.slug, self.slug])


def sandbox_limits(overrides: dict | None) -> dict:
    """The site defaults, overridden by an exercise, bounded by the site maxima."""
    limits = dict(settings.SANDBOX_DEFAULT_LIMITS)
    for key, value in (overrides or {}).items():
        if key in limits:
            limits[key] = min(type(limits[key])(value), settings.SANDBOX_MAX_LIMITS[key])
    return limits


class Exercise(models.Model):
    class Framework(models.TextChoices):
        FLASK = "flask", "Flask"
        DJANGO = "django", "Django"

    class Kind(models.TextChoices):
        # The learner writes the app; hidden tests grade it.
        APP = "app", "Write the app"
        # The learner writes tests: they must pass on the instructor's app (its files of
        # kind "app", shown read-only) and fail on each wrong variant of it.
        TESTS = "tests", "Write the tests"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="exercises")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="exercises")
    slug = models.SlugField()
    number = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=10, choices=Framework.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.APP)
    # Of a tests exercise: after this many attempts, a learner is told what each buggy
    # version they have not caught does wrong (else only once they have passed).
    reveal_missed_after = models.PositiveIntegerField(null=True, blank=True)
    entrypoint = models.CharField(max_length=200, help_text='Flask: "app:app"; Django: the settings module.')
    editable = models.JSONField(
        default=list, help_text="Files, folders (blog/) or globs (blog/**) the learner may edit and submit."
    )
    limits = models.JSONField(default=dict, blank=True, help_text="Overrides of the sandbox defaults.")
    hints = models.JSONField(default=list, blank=True)
    # Commands run in the app's folder before it is served (lessons.course_folder.setup_commands).
    setup = models.JSONField(default=list, blank=True, help_text="Commands run before the app is served.")
    # Each hint rendered and sanitized as the instructions are, when saved or imported.
    hints_html = models.JSONField(default=list, blank=True, editable=False)
    instructions = models.TextField(blank=True)
    instructions_html = models.TextField(blank=True, editable=False)
    # True when the tests are the lesson's shared tests/ (one file for Flask and Django).
    tests_shared = models.BooleanField(default=False)
    # Bumped whenever the files that grade the exercise change; submissions record it.
    version = models.PositiveIntegerField(default=1)
    published = models.BooleanField(default=True)
    # The last version whose solution passed and whose starter did not, in the sandbox.
    validated_version = models.PositiveIntegerField(null=True, blank=True)
    # The front matter exactly as last imported, so that an export of unchanged content
    # gives back the same bytes; rewritten from the fields when they change.
    front_matter = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["course", "lesson__number", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="exercise_slug_unique_in_course")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:exercise", args=[self.course.slug, self.slug])

    def rendered_hints(self) -> list[SafeString]:
        """The hints as HTML for the page, as the instructions are shown: each was sanitized
        by lessons.markdown.render when it was stored."""
        return [mark_safe(html) for html in self.hints_html]  # noqa: S308 (sanitized when stored)

    def files_of(self, kind: str) -> dict[str, str]:
        return {f.path: f.content for f in self.files.all() if f.kind == kind}

    def starter_files(self) -> dict[str, str]:
        """What the learner starts from: the starter, and of a tests exercise the app
        their tests run against (shown read-only, unless ``editable`` covers it)."""
        if self.kind == self.Kind.TESTS:
            return {**self.files_of(ExerciseFile.Kind.APP), **self.files_of(ExerciseFile.Kind.STARTER)}
        return self.files_of(ExerciseFile.Kind.STARTER)

    @property
    def editable_rule(self) -> Editable:
        """What ``editable`` covers (``lessons.paths``): the one place where a learner's
        files meet the starter; grading, the editor and the content checks go through it."""
        return Editable.of(self.editable)

    def editable_files(self, files: dict[str, str]) -> dict[str, str]:
        """Every file the learner edits, from ``files`` (the learner's whole set): each
        listed file from ``files``, else its starter text (empty when the starter has
        none), and the files of ``files`` in an editable folder or glob."""
        return self.editable_rule.learner_files(self.starter_files(), files)

    def app_files(self, files: dict[str, str]) -> dict[str, str]:
        """The whole app to run: the starter, with the learner's editable ``files`` laid
        over it; a starter file in an editable folder that ``files`` lacks is left out."""
        return self.editable_rule.app_files(self.starter_files(), files)

    def readonly_files(self) -> dict[str, str]:
        """The starter files the learner sees but does not edit, by path."""
        rule = self.editable_rule
        return {path: text for path, text in sorted(self.starter_files().items()) if not rule.covers(path)}

    def editable_starter(self) -> dict[str, str]:
        """The editable files as the learner first sees them (empty when not provided)."""
        return self.editable_rule.starter_files(self.starter_files())

    def laid_over_starter(self, *layers: dict[str, str]) -> dict[str, str]:
        """The learner's whole set of files that ``layers`` make, each holding only the
        files it changes: the solution, then a variant or an alternative over it."""
        return self.editable_rule.overlay(self.starter_files(), *layers)

    def sandbox_limits(self) -> dict:
        return sandbox_limits(self.limits)


class ExerciseFile(models.Model):
    class Kind(models.TextChoices):
        STARTER = "starter", "Starter"
        SOLUTION = "solution", "Solution"
        TEST = "tests", "Test"
        # Of a tests exercise: the instructor's correct app, which the learner's tests run on.
        APP = "app", "App under test"
        # A plausible wrong solution the tests must fail, and a correct one written
        # otherwise they must pass: "<slug>/variant.md" (or alternative.md) and the
        # files laid over the solution ("<slug>/<path>"; lessons.course_folder.Variant).
        VARIANT = "variants", "Wrong variant"
        ALTERNATIVE = "alternatives", "Alternative solution"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    path = models.CharField(max_length=255)
    content = models.TextField(blank=True)

    class Meta:
        ordering = ["exercise", "kind", "path"]
        constraints = [models.UniqueConstraint(fields=["exercise", "kind", "path"], name="exercise_file_unique")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.path}"


class UploadedImage(models.Model):
    """An image an instructor uploaded into lessons (lessons.images): the stored file's
    name and size, so that each uploader's images count against their quota."""

    name = models.CharField(max_length=64, unique=True, help_text="The file in MEDIA_ROOT/lesson-images.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="uploaded_images"
    )
    size = models.PositiveIntegerField(help_text="Bytes, as stored (re-encoded).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
