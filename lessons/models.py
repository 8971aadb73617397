"""Content: courses, lessons and exercises, as instructors write them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

# The fields that decide how an exercise is graded: a change to any of them (or to its
# files) makes a new version of the exercise, whether imported or edited in the browser.
GRADED_BY = ("framework", "entrypoint", "editable", "limits")

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

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="exercises")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="exercises")
    slug = models.SlugField()
    number = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=10, choices=Framework.choices)
    entrypoint = models.CharField(max_length=200, help_text='Flask: "app:app"; Django: the settings module.')
    editable = models.JSONField(default=list, help_text="Paths the learner may edit and submit.")
    limits = models.JSONField(default=dict, blank=True, help_text="Overrides of the sandbox defaults.")
    hints = models.JSONField(default=list, blank=True)
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

    def files_of(self, kind: str) -> dict[str, str]:
        return {f.path: f.content for f in self.files.all() if f.kind == kind}

    def starter_files(self) -> dict[str, str]:
        return self.files_of(ExerciseFile.Kind.STARTER)

    def editable_starter(self) -> dict[str, str]:
        """The editable files as the learner first sees them (empty when not provided)."""
        starter = self.starter_files()
        return {path: starter.get(path, "") for path in self.editable}

    def sandbox_limits(self) -> dict:
        return sandbox_limits(self.limits)


class ExerciseFile(models.Model):
    class Kind(models.TextChoices):
        STARTER = "starter", "Starter"
        SOLUTION = "solution", "Solution"
        TEST = "tests", "Test"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    path = models.CharField(max_length=255)
    content = models.TextField(blank=True)

    class Meta:
        ordering = ["exercise", "kind", "path"]
        constraints = [models.UniqueConstraint(fields=["exercise", "kind", "path"], name="exercise_file_unique")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.path}"


class ExerciseValidation(models.Model):
    """One "Validate" run: the exercise's solution (must pass) and its starter (must not),
    graded in the sandbox through the queue, for the version current at the time."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        VALID = "valid", "Valid"
        INVALID = "invalid", "Invalid"
        ERROR = "error", "Error"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="validations")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    solution_result = models.JSONField(null=True, blank=True)
    starter_result = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.exercise} v{self.version}: {self.status}"
