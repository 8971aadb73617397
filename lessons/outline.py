"""A course's outline (its lessons and their exercises: ids, slugs, numbers, titles,
frameworks, whether published), read once per process for each version of the course and
shared by the pages that show it: the course page's list, the progress box, the lesson
page's previous and next.

The version is the course row's ``updated_at``, which every page reads anyway: saving or
deleting a lesson or an exercise touches it (``touch``, from the signals below), and so
do the bulk updates that publish or unpublish one. A process that reads a course row
newer than its copy reads the outline again; several processes (gunicorn's, several
hosts') each keep their own copy and never serve one older than the row they read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Course, Exercise, Lesson

FRAMEWORKS = dict(Exercise.Framework.choices)


@dataclass(frozen=True)
class OutlineExercise:
    id: int
    lesson_id: int
    slug: str
    number: int
    title: str
    framework: str
    published: bool

    def get_framework_display(self) -> str:
        return FRAMEWORKS.get(self.framework, self.framework)


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    slug: str
    number: int
    title: str
    published: bool
    exercises: tuple[OutlineExercise, ...]

    def visible_exercises(self, *, preview: bool = False) -> tuple[OutlineExercise, ...]:
        return self.exercises if preview else tuple(e for e in self.exercises if e.published)


@dataclass(frozen=True)
class Outline:
    version: datetime
    lessons: tuple[OutlineLesson, ...]
    # HTML made from this outline, by whoever made it (the course page's list): the same
    # for every reader of this version.
    rendered: dict = field(default_factory=dict, compare=False, repr=False)

    def visible_lessons(self, *, preview: bool = False) -> tuple[OutlineLesson, ...]:
        """The lessons a learner sees (published), or all of them in an instructor's preview."""
        return self.lessons if preview else tuple(lesson for lesson in self.lessons if lesson.published)


_outlines: dict[int, Outline] = {}
_lock = threading.Lock()


def outline_of(course: Course, *, fresh: bool = False) -> Outline:
    """The outline of ``course`` as of its row's version: two queries when this process
    has not read that version yet (or ``fresh``: read it again whatever it holds), none
    after."""
    found = _outlines.get(course.id)
    if not fresh and found is not None and found.version == course.updated_at:
        return found
    exercises: dict[int, list[OutlineExercise]] = {}
    for row in (
        Exercise.objects.filter(course_id=course.id)
        .order_by("number", "id")
        .values_list("id", "lesson_id", "slug", "number", "title", "framework", "published")
    ):
        exercises.setdefault(row[1], []).append(OutlineExercise(*row))
    lessons = tuple(
        OutlineLesson(*row, exercises=tuple(exercises.get(row[0], ())))
        for row in Lesson.objects.filter(course_id=course.id)
        .order_by("number", "id")
        .values_list("id", "slug", "number", "title", "published")
    )
    outline = Outline(version=course.updated_at, lessons=lessons)
    with _lock:
        current = _outlines.get(course.id)
        if current is None or current.version <= outline.version:
            _outlines[course.id] = outline
    return outline


def touch(course: Course | int) -> None:
    """Mark the course's outline changed (its row's ``updated_at``, and the object's if
    one is given): call after a bulk update of its lessons or exercises, which sends no
    signal. This process forgets its copy at once, so that even a course object read
    before the change gets the outline read after it."""
    now = timezone.now()
    course_id = course if isinstance(course, int) else course.id
    Course.objects.filter(id=course_id).update(updated_at=now)
    if not isinstance(course, int):
        course.updated_at = now
    with _lock:
        _outlines.pop(course_id, None)


@receiver(post_save, sender=Lesson)
@receiver(post_delete, sender=Lesson)
@receiver(post_save, sender=Exercise)
@receiver(post_delete, sender=Exercise)
def _outline_changed(sender, instance, **kwargs) -> None:
    # The course object the row was made or read with, if it holds one (so that the
    # caller's copy is up to date too), else its id.
    touch(instance._state.fields_cache.get("course") or instance.course_id)
