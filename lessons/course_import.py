"""The import: a content folder into the database, in place.

The database keeps each document's front matter as written, and each body and file
exactly, so that the export (course_export) can give back the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from . import markdown, outline
from .course_folder import ExerciseSpec, course_fields, exercise_fields, lesson_fields, load_course
from .models import GRADED_BY, Course, Exercise, ExerciseFile, Lesson


def _set(obj, **values) -> bool:
    """Assign changed values; True if anything changed."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    return bool(changed)


@transaction.atomic
def course_import(folder: Path) -> tuple[Course, list[str]]:
    """Sync the folder into the database, in place. Idempotent: a second import of the
    same folder changes nothing. Nothing a learner submitted is ever deleted: lessons and
    exercises that left the folder are unpublished, not removed."""
    spec = load_course(Path(folder))
    changes: list[str] = []
    course, created = Course.objects.get_or_create(slug=spec.slug, defaults={"title": spec.doc.meta["title"]})
    if (
        _set(
            course,
            **course_fields(spec.doc.meta),
            body=spec.doc.body,
            body_html=markdown.render(spec.doc.body),
            front_matter=spec.doc.meta_text,
        )
        or created
    ):
        course.save()
        changes.append(f"course {course.slug}")
    kept_lessons, kept_exercises = [], []
    for lspec in spec.lessons:
        lesson, created = Lesson.objects.get_or_create(
            course=course,
            slug=lspec.slug,
            defaults={"number": lspec.number, "title": lspec.doc.meta["title"], "folder": lspec.folder},
        )
        if (
            _set(
                lesson,
                number=lspec.number,
                folder=lspec.folder,
                **lesson_fields(lspec.doc.meta),
                body=lspec.doc.body,
                body_html=markdown.render(lspec.doc.body),
                front_matter=lspec.doc.meta_text,
            )
            or created
        ):
            lesson.save()
            changes.append(f"lesson {lesson.slug}")
        kept_lessons.append(lesson.id)
        for espec in lspec.exercises:
            exercise = _import_exercise(course, lesson, espec, changes)
            kept_exercises.append(exercise.id)
    gone = Lesson.objects.filter(course=course, published=True).exclude(id__in=kept_lessons).update(published=False)
    gone += (
        Exercise.objects.filter(course=course, published=True).exclude(id__in=kept_exercises).update(published=False)
    )
    if gone:
        outline.touch(course)
        changes.append(f"{gone} lessons or exercises unpublished (no longer in the folder)")
    return course, changes


def _import_exercise(course: Course, lesson: Lesson, spec: ExerciseSpec, changes: list[str]) -> Exercise:
    exercise = Exercise.objects.filter(course=course, slug=spec.slug).first()
    created = exercise is None
    if created:
        exercise = Exercise(course=course, slug=spec.slug, lesson=lesson)
    fields = exercise_fields(spec.doc.meta)
    wanted_files = (
        {(ExerciseFile.Kind.STARTER, p): t for p, t in spec.starter.items()}
        | {(ExerciseFile.Kind.SOLUTION, p): t for p, t in spec.solution.items()}
        | {(ExerciseFile.Kind.TEST, p): t for p, t in spec.tests.items()}
        | {(kind, p): t for kind, files in spec.others.items() for p, t in files.items()}
    )
    current_files = {} if created else {(f.kind, f.path): f.content for f in exercise.files.all()}
    grading_changed = not created and (
        current_files != wanted_files or any(getattr(exercise, k) != fields[k] for k in GRADED_BY)
    )
    changed = _set(
        exercise,
        lesson_id=lesson.id,
        number=spec.number,
        **fields,
        instructions=spec.doc.body,
        instructions_html=markdown.render(spec.doc.body),
        hints_html=markdown.render_each(fields["hints"]),
        front_matter=spec.doc.meta_text,
    )
    if grading_changed:
        exercise.version += 1
    if changed or grading_changed or created:
        exercise.save()
        changes.append(f"exercise {exercise.slug}" + (f" (version {exercise.version})" if grading_changed else ""))
    if created or current_files != wanted_files:
        exercise.files.all().delete()
        ExerciseFile.objects.bulk_create(
            ExerciseFile(exercise=exercise, kind=kind, path=path, content=text)
            for (kind, path), text in sorted(wanted_files.items())
        )
    return exercise
