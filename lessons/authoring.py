"""Authoring in the browser: who may edit, and the writes behind the editing pages.

Rules kept here rather than in views or templates:

- A course's instructors (and site staff) edit it. Anyone who instructs some course, or
  is staff, may create a new course, and becomes its instructor.
- Every change to what grades an exercise (framework, entrypoint, editable paths, limits,
  any starter, solution or test file) makes a new version. Submissions keep the version
  that graded them; nothing a learner sent is touched.
- An exercise is published only when its current version has validated: its solution
  passed and its starter did not, in the sandbox, through the queue (the sandbox's
  ``exercise_validation_request`` runs it and sets ``validated_version``). A new version
  of a published exercise goes back to draft until it validates again.
- Markdown is rendered (and sanitized) once, on save, by ``lessons.markdown.render``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from course.models import Enrollment, forget_roles

from . import markdown, outline
from .models import GRADED_BY, Course, Exercise, ExerciseFile, Lesson

log = logging.getLogger(__name__)

# Fields written in the content folder's front matter. When one changes in the browser the
# kept front matter no longer says the same thing, so it is dropped and an export writes
# it afresh from the fields.
COURSE_FRONT_MATTER = ("title", "summary")
LESSON_FRONT_MATTER = ("title",)
EXERCISE_FRONT_MATTER = ("title", "framework", "entrypoint", "editable", "setup", "limits", "hints", "tests_shared")

FileKey = tuple[str, str]  # (kind, path)


class ExerciseNotValidated(ValueError):
    """Publishing asked for a version that has not passed validation."""


class ExerciseConflict(ValueError):
    """The exercise got a new version while the form was open; saving would undo it."""


class MemberRefused(ValueError):
    """A change to a course's people that would leave it without an instructor."""


# --- Who may author -------------------------------------------------------------------


def authorable_courses(user) -> QuerySet[Course]:
    if user.is_staff:
        return Course.objects.all()
    return Course.objects.filter(enrollments__user=user, enrollments__role=Enrollment.Role.INSTRUCTOR)


# --- Courses and their people ---------------------------------------------------------


def _forget_front_matter(obj: Course | Lesson | Exercise, changed: set[str], keys: tuple[str, ...]) -> None:
    if changed & set(keys):
        obj.front_matter = ""


@transaction.atomic
def course_create(*, user, course: Course) -> Course:
    """Save a new course (from its form) and make its creator an instructor of it."""
    course.body_html = markdown.render(course.body)
    course.save()
    Enrollment.objects.update_or_create(user=user, course=course, defaults={"role": Enrollment.Role.INSTRUCTOR})
    forget_roles(user)
    return course


def course_update(*, course: Course, changed: set[str]) -> Course:
    """Save a course edited through its form (``changed``: the form's changed fields)."""
    course.body_html = markdown.render(course.body)
    _forget_front_matter(course, changed, COURSE_FRONT_MATTER)
    course.save()
    return course


@transaction.atomic
def course_member_set(*, course: Course, user, role: str) -> bool:
    """Give ``user`` a role in the course (adding them if need be). True if added.

    Refuses to turn the course's last instructor into something else: a course nobody
    may edit could only be rescued by site staff.
    """
    enrollment = Enrollment.objects.select_for_update().filter(course=course, user=user).first()
    if enrollment is None:
        Enrollment.objects.create(course=course, user=user, role=role)
        forget_roles(user)
        return True
    if enrollment.role == Enrollment.Role.INSTRUCTOR and role != Enrollment.Role.INSTRUCTOR:
        instructors = Enrollment.objects.filter(course=course, role=Enrollment.Role.INSTRUCTOR).count()
        if instructors == 1:
            raise MemberRefused(f"{user.username} is the course's only instructor: add another instructor first.")
    if enrollment.role != role:
        enrollment.role = role
        enrollment.save(update_fields=["role"])
        forget_roles(user)
    return False


# --- Lessons --------------------------------------------------------------------------


def lesson_folder(number: int, slug: str) -> str:
    """The lesson's folder in the content tree: NN-slug, as the import reads it."""
    return f"{number:02d}-{slug}"


def lesson_save(*, lesson: Lesson, changed: set[str]) -> Lesson:
    """Save a lesson from its form: folder derived, body rendered once."""
    lesson.folder = lesson_folder(lesson.number, lesson.slug)
    lesson.body_html = markdown.render(lesson.body)
    _forget_front_matter(lesson, changed, LESSON_FRONT_MATTER)
    lesson.save()
    return lesson


# --- Exercises: versions and publishing ------------------------------------------------


@dataclass
class ExerciseSaved:
    exercise: Exercise
    new_version: bool = False
    unpublished: bool = False
    tests_unshared: bool = False


def _files(exercise: Exercise) -> dict[FileKey, str]:
    return {(f.kind, f.path): f.content for f in exercise.files.all()}


def _write_files(exercise: Exercise, files: dict[FileKey, str]) -> None:
    exercise.files.all().delete()
    ExerciseFile.objects.bulk_create(
        ExerciseFile(exercise=exercise, kind=kind, path=path, content=text)
        for (kind, path), text in sorted(files.items())
    )


def _tests(files: dict[FileKey, str]) -> dict[FileKey, str]:
    return {key: text for key, text in files.items() if key[0] == ExerciseFile.Kind.TEST}


@transaction.atomic
def exercise_create(*, course: Course, data: dict[str, Any], files: dict[FileKey, str]) -> Exercise:
    """A new exercise (``data`` names its lesson): version 1, a draft until it validates."""
    exercise = Exercise(course=course, published=False, version=1, **data)
    exercise.instructions_html = markdown.render(exercise.instructions)
    exercise.hints_html = markdown.render_each(exercise.hints)
    exercise.save()
    _write_files(exercise, files)
    return exercise


@transaction.atomic
def exercise_update(
    *, exercise_id: int, data: dict[str, Any], files: dict[FileKey, str], based_on_version: int | None
) -> ExerciseSaved:
    """Save an edited exercise. A change to what grades it makes a new version, which a
    published exercise must validate before learners see it again.

    ``based_on_version`` is the version the form was opened on: if someone saved another
    version since, nothing is saved (ExerciseConflict), so their change is not undone.
    """
    exercise = Exercise.objects.select_for_update().get(id=exercise_id)
    if based_on_version is not None and exercise.version != based_on_version:
        raise ExerciseConflict(
            f"While you were editing, version {exercise.version} of this exercise was saved, so your "
            "changes were not saved (they would undo it). Copy what you changed, reload the page, "
            "and make your changes again."
        )
    old_files = _files(exercise)
    changed = {key for key, value in data.items() if getattr(exercise, key) != value}
    result = ExerciseSaved(exercise=exercise)
    result.new_version = old_files != files or bool(changed & set(GRADED_BY))
    if exercise.tests_shared and (_tests(old_files) != _tests(files) or "lesson" in changed):
        # The lesson's shared tests are copied into each exercise; edited here (or taken
        # to another lesson), they are this exercise's own from now on, and its siblings
        # keep theirs unchanged.
        data = {**data, "tests_shared": False}
        changed.add("tests_shared")
        result.tests_unshared = True
    for key, value in data.items():
        setattr(exercise, key, value)
    exercise.instructions_html = markdown.render(exercise.instructions)
    exercise.hints_html = markdown.render_each(exercise.hints)
    _forget_front_matter(exercise, changed, EXERCISE_FRONT_MATTER)
    if result.new_version:
        exercise.version += 1
        if exercise.published:
            exercise.published = False
            result.unpublished = True
    exercise.save()
    if old_files != files:
        _write_files(exercise, files)
    return result


def exercise_publish(*, exercise: Exercise, published: bool) -> Exercise:
    """Publish (only a version that validated) or take back to draft (always allowed)."""
    if not published:
        Exercise.objects.filter(id=exercise.id).update(published=False)
    # One filtered update: a new version saved meanwhile cannot slip through unvalidated.
    elif not Exercise.objects.filter(
        id=exercise.id, validated_version=exercise.version, version=exercise.version
    ).update(published=True):
        exercise.refresh_from_db(fields=["version", "validated_version"])
        raise ExerciseNotValidated(
            f"Version {exercise.version} has not been validated yet: press Validate, and publish once "
            "its solution passes and its starter fails."
        )
    outline.touch(exercise.course_id)
    exercise.refresh_from_db(fields=["published", "version", "validated_version"])
    return exercise
